"""A tiny TCP server that answers each line with the line upper-cased."""
import socket
import sys

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
sys.stdout.close()
while True:
    conn, _ = listener.accept()
    with conn:
        data = conn.recv(65536)
        conn.sendall(data.upper())
