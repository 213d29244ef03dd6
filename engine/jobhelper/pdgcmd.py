"""pdgcmd: how a job reports start, outputs, attributes and its end to PDG.

Scheduler Studio's own job helper. It keeps the public function names and
keyword arguments of SideFX's pdgcmd, so job scripts written for Houdini run
unchanged against the studio's result server. It is copied into the job's
scripts dir and imported by whatever Python runs the job: standard library
only, Python 3.7+.

Every report prints a timestamped status line to stdout (``PDG_START``,
``PDG_RESULT``, ``PDG_SUCCESS``...), which is all that happens when
``PDG_RESULT_SERVER`` is unset. When it is set (``TOKEN@HOST:PORT`` or
``HOST:PORT``) the report also goes out over XML-RPC, with a timeout,
retries while the server refuses connections, and ``RpcError`` when it
cannot be delivered (unless ``PDG_RPC_IGNORE_ERRORS=1``). After
``PDG_RPC_MAX_ERRORS`` failures RPC is switched off for the rest of the job.
The token is never printed. ``PDG_JOBUSE_PDGNET`` is ignored: the studio
speaks XML-RPC only.

Command line: ``python pdgcmd.py --startcook|--success|--fail|--cancel``
reports for the work item named by the environment.
"""
import argparse
import datetime
import json
import os
import random
import re
import socket
import sys
import time
import urllib.parse
import xmlrpc.client


def _envNumber(name, default, kind=int):
    try:
        return kind(os.environ.get(name, default))
    except ValueError:
        return default


# Settings, read once when the job imports the helper (as SideFX's helper does).
max_retries = _envNumber("PDG_RPC_RETRIES", 4)
rpc_timeout = _envNumber("PDG_RPC_TIMEOUT", 4.0, float)
rpc_backoff = _envNumber("PDG_RPC_MAX_BACKOFF", 4.0, float)
max_rpc_errors = _envNumber("PDG_RPC_MAX_ERRORS", 5)
ignore_rpc_errors = _envNumber("PDG_RPC_IGNORE_ERRORS", 0) > 0
disable_rpc = _envNumber("PDG_DISABLE_RPC", 0) > 0
max_rpc_array_size = _envNumber("PDG_RPC_MAX_ARRAY_SIZE", 2000)
batch_poll_delay = _envNumber("PDG_BATCH_POLL_DELAY", 1.0, float)
release_job_slots_on_poll = _envNumber("PDG_RELEASE_SLOT_ON_POLL", 1) > 0
disable_timestamps = _envNumber("PDG_DISABLE_TIMESTAMPS", 0) > 0
theDelocalizePaths = os.environ.get("PDG_DELOCALIZE", "1") != "0"

_jobid_var = os.environ.get("PDG_JOBID_VAR")
theJobid = os.environ.get(_jobid_var, "") if _jobid_var else os.environ.get("PDG_JOBID", "")

rpc_num_errors = 0
result_server_addr = None
thePathMaps = None


class RpcError(Exception):
    """A report could not be delivered to the result server."""


# --- output -----------------------------------------------------------------

def printlog(msg, timestamp=True):
    """Print one status line, prefixed with ``[HH:MM:SS.mmm]``, and flush it."""
    if timestamp and not disable_timestamps:
        msg = "[{}] {}".format(datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3], msg)
    line = msg + "\n"
    try:
        sys.stdout.write(line)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        sys.stdout.write(line.encode(encoding, "replace").decode(encoding))
    sys.stdout.flush()


def _forPrint(value):
    # Paths may be bytes and data may be huge: keep status lines short and readable.
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, str) and len(value) > 260:
        return "{}...({} bytes)".format(value[:90], len(value))
    return value


# --- environment ------------------------------------------------------------

def getItemIdFromEnv():
    """The work item id (``PDG_ITEM_ID``), or its name (``PDG_ITEM_NAME``) for old setups."""
    try:
        return int(os.environ["PDG_ITEM_ID"])
    except (KeyError, ValueError):
        return os.environ.get("PDG_ITEM_NAME")


def setResultServerAddr(force_server_addr):
    """Report to ``force_server_addr`` instead of ``$PDG_RESULT_SERVER``."""
    global result_server_addr
    result_server_addr = force_server_addr


def getResultServerAddr():
    return result_server_addr or os.environ.get("PDG_RESULT_SERVER") or None


def _serverUrl(server_addr):
    """``(url, host:port)`` for an address of the form ``[http://][TOKEN@]HOST:PORT``."""
    addr = server_addr.strip()
    if addr.startswith("http://"):
        addr = addr[len("http://"):]
    addr = addr.split("/", 1)[0]
    token, _, hostport = addr.rpartition("@")
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        # The value is not echoed: it may be a bare token.
        raise ValueError("invalid result server address: expected [TOKEN@]HOST:PORT")
    userinfo = urllib.parse.quote(token, safe="") + "@" if token else ""
    return "http://{}{}:{}".format(userinfo, host, port), hostport


# --- RPC --------------------------------------------------------------------

class _TimeoutTransport(xmlrpc.client.Transport):
    """XML-RPC transport whose connections give up after ``timeout`` seconds."""

    def __init__(self, timeout):
        xmlrpc.client.Transport.__init__(self)
        self._timeout = timeout

    def make_connection(self, host):
        connection = xmlrpc.client.Transport.make_connection(self, host)
        connection.timeout = self._timeout
        return connection


def _rpcEnabled(server_addr=None):
    return (not disable_rpc and rpc_num_errors < max_rpc_errors
            and bool(server_addr or getResultServerAddr()))


def _transient(exc):
    # Worth retrying: nothing reached the handler (refused, reset, server busy).
    if isinstance(exc, xmlrpc.client.ProtocolError):
        return exc.errcode == 503
    return isinstance(exc, ConnectionError)


def _describe(exc, label, where):
    # Never str() a ProtocolError: its text carries the URL, and so the token.
    if isinstance(exc, xmlrpc.client.ProtocolError):
        if exc.errcode == 401:
            return ("result server at {} refused the job's credentials (HTTP 401): the token in "
                    "PDG_RESULT_SERVER is wrong or missing".format(where))
        return "result server at {} answered HTTP {} {} to {}".format(
            where, exc.errcode, exc.errmsg, label)
    if isinstance(exc, xmlrpc.client.Fault):
        return "result server at {} refused {}: {}".format(where, label, exc.faultString)
    if isinstance(exc, socket.timeout):
        return ("no answer from result server at {} to {} within {}s (not retried: it may have "
                "acted; raise PDG_RPC_TIMEOUT)".format(where, label, rpc_timeout))
    return "cannot reach result server at {} for {}: {}".format(where, label, exc)


def _rpc(label, send, server_addr=None, raise_exc=True):
    """Run ``send(proxy)`` with retries and error accounting; its result, or None."""
    if not _rpcEnabled(server_addr):
        return None
    try:
        url, where = _serverUrl(server_addr or getResultServerAddr())
    except ValueError as exc:
        return _failed(label, str(exc), raise_exc)
    attempt = 0
    while True:
        proxy = xmlrpc.client.ServerProxy(
            url, allow_none=True, transport=_TimeoutTransport(rpc_timeout))
        try:
            return send(proxy)
        except (OSError, xmlrpc.client.Error) as exc:
            failure = exc
        if not _transient(failure) or attempt >= max_retries:
            return _failed(label, _describe(failure, label, where), raise_exc)
        attempt += 1
        delay = min(rpc_backoff, 0.1 * 2 ** attempt) * random.uniform(0.5, 1.0)
        printlog("Result server at {} unavailable ({}); retry {}/{} in {:.2f}s".format(
            where, type(failure).__name__, attempt, max_retries, delay))
        time.sleep(delay)


def _failed(label, reason, raise_exc):
    """Count an undelivered report, say why, and raise unless errors are ignored."""
    global rpc_num_errors
    rpc_num_errors += 1
    msg = "Failed RPC {} [error {}/{}]: {}".format(label, rpc_num_errors, max_rpc_errors, reason)
    printlog(msg)
    if rpc_num_errors >= max_rpc_errors:
        printlog("Maximum RPC error count reached: RPC is disabled for the rest of this job")
    if raise_exc and not ignore_rpc_errors:
        raise RpcError(msg) from None
    return None


def _invokeRpc(fn_name, *args, **kwargs):
    """One XML-RPC call; keywords ``server_addr`` and ``raise_exc``."""
    return _rpc(fn_name, lambda proxy: getattr(proxy, fn_name)(*args), **kwargs)


def _invokeMultiRpc(label, calls, server_addr=None, raise_exc=True):
    """Send ``[(fn_name, args)...]`` as one ``system.multicall``; a faulted entry fails it."""
    def send(proxy):
        multi = xmlrpc.client.MultiCall(proxy)
        for fn_name, args in calls:
            getattr(multi, fn_name)(*args)
        return list(multi())  # iterating raises the Fault of a refused entry
    return _rpc(label, send, server_addr=server_addr, raise_exc=raise_exc)


# --- paths ------------------------------------------------------------------

_TOKEN_RE = re.compile(r"__PDG_([A-Z0-9]+(?:_[A-Z0-9]+)*)__")
_TOKEN_FALLBACKS = {"HFS": ("HFS", "PDG_HFS"), "PYTHON": ("PDG_PYTHON",), "HYTHON": ("PDG_HYTHON",)}


def _tokenValue(match):
    name = match.group(1)
    for var in _TOKEN_FALLBACKS.get(name, ("PDG_" + name,)):
        if var in os.environ:
            return os.environ[var]
    if name == "PYTHON":
        return sys.executable
    return match.group(0)


def _buildPathMap():
    # PDG_PATHMAP: {"paths": [{FROM: {"zone": ZONE, "path": TO}}, ...]}; "*" is every zone.
    text = os.environ.get("PDG_PATHMAP", "")
    if not text:
        return []
    zone = os.environ.get("PDG_PATHMAP_ZONE") or (
        "WIN" if sys.platform == "win32" else "MAC" if sys.platform == "darwin" else "LINUX")
    maps = []
    for entry in json.loads(text).get("paths", []):
        for source, target in entry.items():
            if target.get("zone") in ("*", zone):
                maps.append((source.replace("\\", "/"), target["path"].replace("\\", "/")))
    return maps


def localizePath(deloc_path):
    """Expand ``__PDG_*__`` tokens and ``$VARS`` and apply ``PDG_PATHMAP``: a path this machine can open."""
    global thePathMaps
    path = os.path.expandvars(os.path.expandvars(_TOKEN_RE.sub(_tokenValue, deloc_path)))
    path = path.replace("\\", "/")
    if thePathMaps is None:
        thePathMaps = _buildPathMap()
    for source, target in thePathMaps:
        if path.startswith(source):
            path = target + path[len(source):]
    return os.path.expandvars(path)


def delocalizePath(local_path):
    """Rewrite a path under ``$PDG_DIR`` as ``__PDG_DIR__/...`` so other machines can localize it."""
    pdg_dir = os.environ.get("PDG_DIR")
    if not (theDelocalizePaths and pdg_dir and isinstance(local_path, str)):
        return local_path
    root = os.path.expandvars(pdg_dir).replace("\\", "/").rstrip("/")
    path = local_path.replace("\\", "/")
    if root and (path == root or path.startswith(root + "/")):
        return "__PDG_DIR__" + path[len(root):]
    return local_path


def makeDirSafe(local_path):
    """Create a directory, tolerating another job creating it at the same moment."""
    if local_path:
        os.makedirs(local_path, exist_ok=True)


_EXTENSION_TAGS = {
    ".bgeo": "file/geo", ".bgeo.sc": "file/geo", ".bgeo.gz": "file/geo", ".geo": "file/geo",
    ".obj": "file/geo", ".ply": "file/geo", ".fbx": "file/geo", ".abc": "file/geo",
    ".vdb": "file/geo", ".stl": "file/geo", ".gltf": "file/geo", ".glb": "file/geo",
    ".usd": "file/usd", ".usda": "file/usd", ".usdc": "file/usd", ".usdz": "file/usd",
    ".exr": "file/image", ".png": "file/image", ".jpg": "file/image", ".jpeg": "file/image",
    ".tif": "file/image", ".tiff": "file/image", ".rat": "file/image", ".hdr": "file/image",
    ".pic": "file/image", ".tga": "file/image", ".dpx": "file/image",
    ".mp4": "file/video", ".mov": "file/video", ".avi": "file/video", ".mkv": "file/video",
    ".wav": "file/audio", ".mp3": "file/audio", ".flac": "file/audio",
    ".txt": "file/text", ".log": "file/text/log", ".json": "file/text/json",
    ".csv": "file/text/csv", ".xml": "file/text/xml", ".py": "file/text/python",
    ".hip": "file/hip", ".hiplc": "file/hip", ".hipnc": "file/hip",
}


def guessTag(path):
    """The output tag for a file path from its extension (``file`` when unknown)."""
    name = path.decode("utf-8", "replace") if isinstance(path, (bytes, bytearray)) else path
    name = name.lower()
    for ext in sorted(_EXTENSION_TAGS, key=len, reverse=True):
        if name.endswith(ext):
            return _EXTENSION_TAGS[ext]
    return "file"


def _mtimeHash(path):
    try:
        return int(os.path.getmtime(path))
    except (OSError, TypeError, ValueError):
        return 0


def _isStr(value):
    return isinstance(value, (str, bytes, bytearray))


def _binary(value):
    return xmlrpc.client.Binary(value.encode("utf-8") if isinstance(value, str) else bytes(value))


# --- reports: cook state ----------------------------------------------------

def workItemStartCook(workitem_id=None, subindex=-1, server_addr=None, to_stdout=True,
                      raise_exc=True):
    """Report that the work item (or batch sub-item ``subindex``) started cooking."""
    workitem_id = workitem_id or getItemIdFromEnv()
    if to_stdout:
        printlog("PDG_START: {};{}".format(workitem_id, subindex))
    if subindex >= 0:
        _invokeRpc("start_cook_batch", workitem_id, subindex, theJobid,
                   server_addr=server_addr, raise_exc=raise_exc)
    else:
        _invokeRpc("start_cook", workitem_id, theJobid,
                   server_addr=server_addr, raise_exc=raise_exc)


def workItemSuccess(workitem_id=None, subindex=-1, server_addr=None, to_stdout=True,
                    raise_exc=True):
    """Report that the work item (or batch sub-item) cooked successfully."""
    workitem_id = workitem_id or getItemIdFromEnv()
    if to_stdout:
        printlog("PDG_SUCCESS: {};{};{}".format(workitem_id, subindex, 0))
    if subindex >= 0:
        _invokeRpc("success_batch", workitem_id, subindex, 0, theJobid,
                   server_addr=server_addr, raise_exc=raise_exc)
    else:
        _invokeRpc("success", workitem_id, 0, theJobid,
                   server_addr=server_addr, raise_exc=raise_exc)


def workItemFailed(workitem_id=None, server_addr=None, to_stdout=True, raise_exc=True):
    """Report that the work item failed (a failed batch sub-item fails its batch)."""
    workitem_id = workitem_id or getItemIdFromEnv()
    if to_stdout:
        printlog("PDG_FAILED: {}".format(workitem_id))
    _invokeRpc("failed", workitem_id, theJobid, server_addr=server_addr, raise_exc=raise_exc)


def workItemCancelled(workitem_id=None, server_addr=None, raise_exc=True, to_stdout=True):
    """Report that the work item was cancelled."""
    workitem_id = workitem_id or getItemIdFromEnv()
    if to_stdout:
        printlog("PDG_CANCELLED: {}".format(workitem_id))
    _invokeRpc("cancelled", workitem_id, theJobid, server_addr=server_addr, raise_exc=raise_exc)


def workItemSetCustomState(custom_state, workitem_id=None, subindex=-1, server_addr=None,
                           to_stdout=True, raise_exc=True):
    workitem_id = workitem_id or getItemIdFromEnv()
    if to_stdout:
        printlog("PDG_SET_CUSTOM_STATE: {};{};{}".format(workitem_id, subindex, custom_state))
    _invokeRpc("set_custom_state", workitem_id, subindex, custom_state, theJobid,
               server_addr=server_addr, raise_exc=raise_exc)


def workItemSetCookPercent(cook_percent, workitem_id=None, subindex=-1, server_addr=None,
                           to_stdout=True, raise_exc=True):
    workitem_id = workitem_id or getItemIdFromEnv()
    if to_stdout:
        printlog("PDG_SET_COOK_PERCENT: {};{};{}".format(workitem_id, subindex, cook_percent))
    _invokeRpc("set_cook_percent", workitem_id, subindex, cook_percent, theJobid,
               server_addr=server_addr, raise_exc=raise_exc)


def workItemAppendLog(log_data, log_type=3, workitem_id=None, subindex=-1, server_addr=None,
                      to_stdout=True, raise_exc=True):
    workitem_id = workitem_id or getItemIdFromEnv()
    if to_stdout:
        printlog("PDG_APPEND_LOG: {};{};{}".format(workitem_id, subindex, len(log_data)))
    _invokeRpc("append_log", workitem_id, subindex, log_data, int(log_type), theJobid,
               server_addr=server_addr, raise_exc=raise_exc)


def invalidateCache(workitem_id=None, subindex=-1, server_addr=None, raise_exc=True):
    """Ask PDG to treat the item's cached outputs as stale, so dependents cook."""
    workitem_id = workitem_id or getItemIdFromEnv()
    printlog("PDG_INVALIDATE_CACHE: {};{}".format(workitem_id, subindex))
    _invokeRpc("invalidate_cache", workitem_id, subindex, theJobid,
               server_addr=server_addr, raise_exc=raise_exc)


def warning(message, workitem_id=None, server_addr=None, raise_exc=True):
    workitem_id = workitem_id or getItemIdFromEnv()
    printlog("PDG_WARNING: {};{}".format(workitem_id, message))
    _invokeRpc("warning", workitem_id, message, theJobid,
               server_addr=server_addr, raise_exc=raise_exc)


def keepalive(workitem_id=None, server_addr=None, raise_exc=True):
    """Heartbeat for schedulers that watch for silent jobs (no status line: it repeats)."""
    _invokeRpc("keepalive", workitem_id or getItemIdFromEnv(), theJobid,
               server_addr=server_addr, raise_exc=raise_exc)


# --- reports: outputs -------------------------------------------------------

def addOutputFile(result_data, workitem_id=None, server_addr=None, result_data_tag="",
                  subindex=-1, and_success=False, to_stdout=True, raise_exc=True,
                  duration=0.0, hash_code=0, batch_size=50, item_name=None):
    """Report one output (or a list) in ``system.multicall`` batches of ``batch_size``.

    An empty tag is guessed from the extension; ``hash_code`` 0 becomes the
    file's mtime; paths under ``$PDG_DIR`` travel as ``__PDG_DIR__/...``.
    ``and_success`` also reports the item as succeeded in the same calls.
    """
    data_list = list(result_data) if isinstance(result_data, (list, tuple)) else [result_data]
    if not data_list or not _isStr(data_list[0]):
        raise TypeError("result_data must be string-like or a list of string-like")
    workitem_id = workitem_id or item_name or getItemIdFromEnv()
    calls = []
    for data in data_list:
        tag = result_data_tag or guessTag(data)
        is_file = tag.startswith("file")
        hash_value = hash_code or (_mtimeHash(data) if is_file else 0)
        if is_file:
            data = delocalizePath(data)
        if to_stdout:
            printlog("PDG_RESULT: {};{};{};{};{}".format(
                workitem_id, subindex, _forPrint(data), tag, hash_value))
            if and_success:
                printlog("PDG_SUCCESS: {};{};{}".format(workitem_id, subindex, duration))
        calls.append(_resultCall(workitem_id, _binary(data), tag, subindex, hash_value,
                                 and_success, duration))
    for start in range(0, len(calls), max(1, batch_size)):
        _invokeMultiRpc("addOutputFile", calls[start:start + max(1, batch_size)],
                        server_addr=server_addr, raise_exc=raise_exc)


def _resultCall(workitem_id, data, tag, subindex, hash_value, and_success, duration):
    if and_success and subindex >= 0:
        return "success_and_result_batch", (workitem_id, data, tag, subindex, hash_value,
                                            duration, theJobid)
    if and_success:
        return "success_and_result", (workitem_id, data, tag, hash_value, duration, theJobid)
    if subindex >= 0:
        return "result_batch", (workitem_id, data, tag, subindex, hash_value, theJobid)
    return "result", (workitem_id, data, tag, hash_value, theJobid)


def reportResultData(result_data, workitem_id=None, server_addr=None, result_data_tag="",
                     subindex=-1, and_success=False, to_stdout=True, raise_exc=True,
                     duration=0.0, hash_code=0, batch_size=50, item_name=None):
    """The older name of :func:`addOutputFile` (17.5 scripts pass ``item_name``)."""
    addOutputFile(result_data, workitem_id=workitem_id, server_addr=server_addr,
                  result_data_tag=result_data_tag, subindex=subindex, and_success=and_success,
                  to_stdout=to_stdout, raise_exc=raise_exc, duration=duration,
                  hash_code=hash_code, batch_size=batch_size, item_name=item_name)


def addOutputFiles(output_file_array, workitem_id=None, server_addr=None, output_file_tag="",
                   subindex=-1, to_stdout=True, raise_exc=True, duration=0.0, hash_codes=()):
    """Report many outputs as ``result_array`` calls; ``output_file_tag`` is one tag or a list."""
    if not output_file_array or not _isStr(output_file_array[0]):
        raise TypeError("output_file_array must be a non-empty list of string-like")
    workitem_id = workitem_id or getItemIdFromEnv()
    files, tags, hashes = [], [], []
    for index, path in enumerate(output_file_array):
        if _isStr(output_file_tag):
            tag = output_file_tag
        else:
            tag = output_file_tag[index] if index < len(output_file_tag) else ""
        tag = tag or guessTag(path)
        hashes.append(hash_codes[index] if index < len(hash_codes) and hash_codes[index]
                      else _mtimeHash(path))
        files.append(_binary(delocalizePath(path)))
        tags.append(tag)
    if to_stdout:
        printlog("PDG_RESULT_ARRAY: {};{};[{} files];[{} tag(s)]".format(
            workitem_id, subindex, len(files), len(set(tags))))
    step = max(1, max_rpc_array_size)
    for start in range(0, len(files), step):
        chunk = (files[start:start + step], tags[start:start + step], hashes[start:start + step])
        if subindex >= 0:
            _invokeRpc("result_array_batch", workitem_id, subindex, *chunk, theJobid,
                       server_addr=server_addr, raise_exc=raise_exc)
        else:
            _invokeRpc("result_array", workitem_id, *chunk, theJobid,
                       server_addr=server_addr, raise_exc=raise_exc)


# --- reports: attributes ----------------------------------------------------

def _fileValue(value):
    # File attributes travel as (path, tag, hash, owned).
    if isinstance(value, (list, tuple)):
        return tuple(value)
    path = getattr(value, "path", value)
    tag = getattr(value, "tag", "") or guessTag(path)
    hash_value = getattr(value, "hash", 0) or _mtimeHash(path)
    return (delocalizePath(path), tag, hash_value, bool(getattr(value, "own", True)))


def _setAttrib(fname, attr_name, attr_value, extra, workitem_id, subindex, server_addr,
               raise_exc):
    workitem_id = workitem_id or getItemIdFromEnv()
    shown = [_forPrint(v) for v in attr_value] if isinstance(attr_value, list) else _forPrint(attr_value)
    printlog("PDG_{}: {};{};{}".format(fname.upper(), workitem_id, attr_name, shown))
    _invokeRpc(fname, workitem_id, subindex, attr_name, attr_value, *extra, theJobid,
               server_addr=server_addr, raise_exc=raise_exc)


def setStringAttrib(attr_name, attr_value, attr_index, workitem_id=None, subindex=-1,
                    server_addr=None, raise_exc=True):
    _setAttrib("set_string_attrib", attr_name, attr_value, (attr_index,), workitem_id,
               subindex, server_addr, raise_exc)


def setIntAttrib(attr_name, attr_value, attr_index, workitem_id=None, subindex=-1,
                 server_addr=None, raise_exc=True):
    _setAttrib("set_int_attrib", attr_name, int(attr_value), (attr_index,), workitem_id,
               subindex, server_addr, raise_exc)


def setFloatAttrib(attr_name, attr_value, attr_index, workitem_id=None, subindex=-1,
                   server_addr=None, raise_exc=True):
    _setAttrib("set_float_attrib", attr_name, float(attr_value), (attr_index,), workitem_id,
               subindex, server_addr, raise_exc)


def setFileAttrib(attr_name, attr_value, attr_index, workitem_id=None, subindex=-1,
                  server_addr=None, raise_exc=True):
    """``attr_value``: a path, a ``(path, tag, hash, owned)`` tuple, or an object with ``.path``."""
    _setAttrib("set_file_attrib", attr_name, _fileValue(attr_value), (attr_index,),
               workitem_id, subindex, server_addr, raise_exc)


def setDictAttrib(attr_name, attr_value, attr_index, workitem_id=None, subindex=-1,
                  server_addr=None, raise_exc=True):
    _setAttrib("set_dict_attrib", attr_name, attr_value, (attr_index,), workitem_id,
               subindex, server_addr, raise_exc)


def setStringAttribArray(attr_name, attr_value, workitem_id=None, subindex=-1,
                         server_addr=None, raise_exc=True):
    _setAttrib("set_string_attrib_array", attr_name, list(attr_value), (), workitem_id,
               subindex, server_addr, raise_exc)


def setIntAttribArray(attr_name, attr_value, workitem_id=None, subindex=-1,
                      server_addr=None, raise_exc=True):
    _setAttrib("set_int_attrib_array", attr_name, [int(v) for v in attr_value], (),
               workitem_id, subindex, server_addr, raise_exc)


def setFloatAttribArray(attr_name, attr_value, workitem_id=None, subindex=-1,
                        server_addr=None, raise_exc=True):
    _setAttrib("set_float_attrib_array", attr_name, [float(v) for v in attr_value], (),
               workitem_id, subindex, server_addr, raise_exc)


def setFileAttribArray(attr_name, attr_value, workitem_id=None, subindex=-1,
                       server_addr=None, raise_exc=True):
    _setAttrib("set_file_attrib_array", attr_name, [_fileValue(v) for v in attr_value], (),
               workitem_id, subindex, server_addr, raise_exc)


def setDictAttribArray(attr_name, attr_value, workitem_id=None, subindex=-1,
                       server_addr=None, raise_exc=True):
    _setAttrib("set_dict_attrib_array", attr_name, list(attr_value), (), workitem_id,
               subindex, server_addr, raise_exc)


def setPyObjectAttrib(attr_name, attr_value, workitem_id=None, subindex=-1,
                      server_addr=None, raise_exc=True):
    """``attr_value`` is the ``repr()`` text of a Python object."""
    _setAttrib("set_pyobject_attrib", attr_name, attr_value, (), workitem_id, subindex,
               server_addr, raise_exc)


def writeAttribute(attr_name, attr_value, item_name=None, server_addr=None, raise_exc=True):
    """The 17.5 attribute report, keyed by item name; prefer the ``set*Attrib`` functions."""
    values = list(attr_value) if isinstance(attr_value, (list, tuple)) else [attr_value]
    if not values or not (_isStr(values[0]) or isinstance(values[0], (int, float))):
        raise TypeError("attr_value must be a string, int or float, or a list of them")
    item_name = item_name or os.environ.get("PDG_ITEM_NAME")
    printlog("PDG_RESULT_ATTR: {};{};{}".format(item_name, attr_name, values))
    _invokeRpc("write_attr", item_name, attr_name, values, theJobid,
               server_addr=server_addr, raise_exc=raise_exc)


# --- queries and batches ----------------------------------------------------

def getWorkItemJSON(workitem_id, subindex, server_addr=None, raise_exc=True):
    """The work item serialized as JSON text by the scheduler ('' without RPC)."""
    return _invokeRpc("get_workitem_json", workitem_id, subindex,
                      server_addr=server_addr, raise_exc=raise_exc) or ""


def checkReady(workitem_id, subindex, server_addr=None, raise_exc=True):
    """True when batch sub-item ``subindex`` may cook; RuntimeError if a dependency failed."""
    state = _invokeRpc("check_ready_batch", workitem_id, subindex,
                       server_addr=server_addr, raise_exc=raise_exc)
    if state and int(state) == 2:
        raise RuntimeError("Failed Dependency!")
    return bool(state) and int(state) == 1


def waitUntilReady(workitem_id, subindex, server_addr=None, raise_exc=True):
    """Block until batch sub-item ``subindex`` may cook, giving the job slots back meanwhile."""
    if not _rpcEnabled(server_addr):
        return
    if release_job_slots_on_poll:
        _invokeRpc("release_job_slots", workitem_id, theJobid,
                   server_addr=server_addr, raise_exc=raise_exc)
    while not checkReady(workitem_id, subindex, server_addr, raise_exc):
        if not _rpcEnabled(server_addr):
            return
        time.sleep(batch_poll_delay)
    if release_job_slots_on_poll:
        _invokeRpc("acquire_job_slots", workitem_id, theJobid,
                   server_addr=server_addr, raise_exc=raise_exc)


def appendSubItem(workitem_id, server_addr=None, raise_exc=True):
    """Add a sub-item to a running batch; its index, or -1."""
    index = _invokeRpc("add_sub_item_batch", workitem_id,
                       server_addr=server_addr, raise_exc=raise_exc)
    return -1 if index is None else int(index)


def reportServerStarted(servername, pid, host, port, proto_type, log_fname="", workitem_id=None,
                        server_addr=None, raise_exc=True):
    """Announce a shared server this job started, with its address as item outputs."""
    workitem_id = workitem_id or getItemIdFromEnv()
    printlog("PDG_SHARED_SERVER: {};{};{}:{}".format(servername, pid, host, port))
    info = {"name": servername, "pid": pid, "host": host, "port": port, "proto_type": proto_type}
    calls = [("sharedserver_started", (info, theJobid)),
             ("result", (workitem_id, _binary(str(host)), "socket/ip", 0, theJobid)),
             ("result", (workitem_id, _binary(str(port)), "socket/port", 0, theJobid))]
    if log_fname:
        calls.append(("result", (workitem_id, _binary(log_fname), "file/text/log", 0, theJobid)))
    _invokeMultiRpc("reportServerStarted", calls, server_addr=server_addr, raise_exc=raise_exc)


def getSharedServerInfo(servername, server_addr=None, raise_exc=True):
    """The info dict a shared server was announced with, looked up by name."""
    return _invokeRpc("get_sharedserver_info", servername,
                      server_addr=server_addr, raise_exc=raise_exc)


# --- names kept for older job scripts ---------------------------------------

def execStartCook(item_name=None, subindex=-1, server_addr=None, to_stdout=True):
    workItemStartCook(item_name, subindex, server_addr, to_stdout)


def execBatchSuccess(item_name, subindex, server_addr=None, to_stdout=True):
    workItemSuccess(item_name, subindex, server_addr, to_stdout)


def execItemFailed(item_name, server_addr=None, to_stdout=True):
    workItemFailed(item_name, server_addr, to_stdout)


def execBatchPoll(item_name, subindex, server_addr=None):
    waitUntilReady(item_name, subindex, server_addr)


# --- command line -----------------------------------------------------------

_ACTIONS = {"startcook": workItemStartCook, "success": workItemSuccess,
            "fail": workItemFailed, "cancel": workItemCancelled}


def main(argv=None):
    """Report one state change for the item in the environment; exit status 1 if undelivered."""
    parser = argparse.ArgumentParser(
        description="Report a work item state to PDG (item from PDG_ITEM_ID / PDG_ITEM_NAME, "
                    "server from PDG_RESULT_SERVER).")
    group = parser.add_mutually_exclusive_group(required=True)
    for action in _ACTIONS:
        group.add_argument("--" + action, action="store_true")
    args = parser.parse_args(argv)
    action = next(name for name in _ACTIONS if getattr(args, name))
    try:
        _ACTIONS[action](getItemIdFromEnv())
    except RpcError as exc:
        sys.stderr.write("pdgcmd: {}\n".format(exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
