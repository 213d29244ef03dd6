"""A module holding several scheduler classes opens on the class asked for: the
others (and helpers, comments, CRLF, tabs) stay byte for byte, and an edit
of the chosen class changes only that class's lines."""
from __future__ import annotations

import pytest

from scheduler_studio.engine.codegen import (SchedulerClassError, SchedulerParseError,
                                             encode_module, parse, render, scheduler_classes)

# a farm module: CRLF and tabs, a mixin, a helper and comments between the classes,
# the derived class registered first
FARM = (b"# Farm schedulers: one base, one GPU flavour.\r\n"
        b"import json\r\n"
        b"from pdg.scheduler import PyScheduler\r\n"
        b"\r\n"
        b"\r\n"
        b"class LoggingMixin(object):\r\n"
        b"\tdef _log(self, text):\r\n"
        b"\t\tprint(text)  # kept\r\n"
        b"\r\n"
        b"\r\n"
        b"class FarmScheduler(LoggingMixin, PyScheduler):\r\n"
        b"\t\"\"\"Sends work items to the farm.\"\"\"\r\n"
        b"\r\n"
        b"\tdef onSchedule(self, work_item):\r\n"
        b"\t\t# the base's own way\r\n"
        b"\t\tself._log('base')\r\n"
        b"\t\treturn pdg.scheduleResult.Succeeded\r\n"
        b"\r\n"
        b"\tdef onTick(self):\r\n"
        b"\t\treturn pdg.tickResult.SchedulerReady\r\n"
        b"\r\n"
        b"\r\n"
        b"def _gpu_count():\r\n"
        b"\t# a helper between the classes\r\n"
        b"\treturn 2\r\n"
        b"\r\n"
        b"\r\n"
        b"class FarmGPUScheduler(FarmScheduler):\r\n"
        b"\t@classmethod\r\n"
        b"\tdef templateName(cls):\r\n"
        b"\t\treturn 'farmgpu'\r\n"
        b"\r\n"
        b"\tdef onSchedule(self, work_item):\r\n"
        b"\t\tself._log('gpu %d' % _gpu_count())\r\n"
        b"\t\treturn pdg.scheduleResult.Succeeded\r\n"
        b"\r\n"
        b"\r\n"
        b"def registerTypes(type_registry):\r\n"
        b"\ttype_registry.registerScheduler(FarmGPUScheduler, label='Farm GPU')\r\n"
        b"\ttype_registry.registerScheduler(FarmScheduler, name='farm', label='Farm')\r\n")

# two unrelated schedulers, spaces and LF, registered in the other order than defined,
# no final newline
PAIR = ("import pdg\n"
        "from pdg.scheduler import PyScheduler\n"
        "\n"
        "class Alpha(PyScheduler):\n"
        "    def onSchedule(self, work_item):\n"
        "        return pdg.scheduleResult.Succeeded   # alpha\n"
        "\n"
        "# between Alpha and Beta\n"
        "class Beta(PyScheduler):\n"
        "    def onStartCook(self, static, cook_set):\n"
        "        return True\n"
        "\n"
        "def registerTypes(type_registry):\n"
        "    type_registry.registerScheduler(Beta, label=\"Beta\")\n"
        "    type_registry.registerScheduler(Alpha, label=\"Alpha\")").encode()

# no registerTypes (an HDA's PythonModule): a base and a subclass, defined in that order
HDA = ("from pdg.scheduler import PyScheduler\n"
       "\n"
       "class Base(PyScheduler):\n"
       "    def onTick(self):\n"
       "        return None\n"
       "\n"
       "class Leaf(Base):\n"
       "    def onTick(self):\n"
       "        return 1\n").encode()

CHOICES = [(FARM, "FarmGPUScheduler"), (FARM, "FarmScheduler"), (PAIR, "Beta"),
           (PAIR, "Alpha"), (HDA, "Base"), (HDA, "Leaf")]


def test_the_classes_come_in_order_of_registration_then_definition():
    assert scheduler_classes(FARM) == [("FarmGPUScheduler", "farmgpu"),
                                       ("FarmScheduler", "farm")]
    assert scheduler_classes(PAIR) == [("Beta", "beta"), ("Alpha", "alpha")]
    assert scheduler_classes(HDA) == [("Base", None), ("Leaf", None)]
    registered_one = PAIR.replace(b'\n    type_registry.registerScheduler(Alpha, label="Alpha")',
                                  b"")
    assert scheduler_classes(registered_one) == [("Beta", "beta"), ("Alpha", None)]


def test_a_module_that_is_no_python_is_a_parse_error():
    with pytest.raises(SchedulerParseError):
        scheduler_classes(b"class (:\n")


@pytest.mark.parametrize("data,name", CHOICES, ids=[f"{i}-{n}" for i, (_, n) in
                                                   enumerate(CHOICES)])
def test_each_class_opens_and_saves_back_byte_for_byte(data, name):
    doc = parse(data, "farm.py", class_name=name)
    assert doc.class_name == name
    assert encode_module(doc, render(doc)[0]) == data


def test_no_class_named_is_the_first_registered_and_the_same_as_naming_it():
    default = parse(FARM, "farm.py")
    named = parse(FARM, "farm.py", class_name="FarmGPUScheduler")
    assert default.class_name == "FarmGPUScheduler"
    assert default == named


def test_the_chosen_class_has_its_own_fields():
    gpu = parse(FARM, "farm.py", class_name="FarmGPUScheduler")
    base = parse(FARM, "farm.py", class_name="FarmScheduler")
    assert (gpu.type_name, gpu.label, set(gpu.bodies)) == ("farmgpu", "Farm GPU",
                                                           {"onSchedule"})
    assert (base.type_name, base.label, base.doc) == ("farm", "Farm",
                                                      "Sends work items to the farm.")
    assert set(base.bodies) == {"onSchedule", "onTick"}
    assert "self._log('base')" in base.bodies["onSchedule"]
    assert "class FarmGPUScheduler" in base.trailer
    assert "class FarmScheduler" in gpu.prelude


def test_an_edit_of_the_second_class_leaves_the_first_as_it_was():
    doc = parse(FARM, "farm.py", class_name="FarmScheduler")
    edited = doc.with_body("onSchedule", "self._log('edited')\nreturn None")
    out = encode_module(edited, render(edited)[0])
    assert out == FARM.replace(b"\t\t# the base's own way\r\n\t\tself._log('base')\r\n"
                               b"\t\treturn pdg.scheduleResult.Succeeded\r\n",
                               b"\t\tself._log('edited')\r\n\t\treturn None\r\n")


def test_an_edit_of_the_first_class_leaves_the_second_as_it_was():
    doc = parse(FARM, "farm.py", class_name="FarmGPUScheduler")
    edited = doc.with_body("onSchedule", "return 7")
    out = encode_module(edited, render(edited)[0])
    assert out == FARM.replace(b"\t\tself._log('gpu %d' % _gpu_count())\r\n"
                               b"\t\treturn pdg.scheduleResult.Succeeded\r\n",
                               b"\t\treturn 7\r\n")


def test_a_callback_filled_in_goes_into_the_chosen_class():
    doc = parse(PAIR, "pair.py", class_name="Alpha")
    edited = doc.with_body("onTick", "return None")
    out = encode_module(edited, render(edited)[0])
    before, _, after = out.partition(b"# between Alpha and Beta\n")
    assert b"def onTick(self):\n        return None\n" in before
    assert b"# between Alpha and Beta\n" + after == PAIR[PAIR.index(b"# between"):]
    assert out.replace(b"\n    def onTick(self):\n        return None\n", b"") == PAIR


def test_label_and_type_edits_go_to_the_chosen_class_registration():
    doc = parse(FARM, "farm.py", class_name="FarmScheduler")
    edited = doc.with_fields(label="Farm CPU", type_name="farmcpu")
    out = encode_module(edited, render(edited)[0])
    assert out == FARM.replace(b"name='farm', label='Farm')",
                               b"name='farmcpu', label='Farm CPU')")


def test_a_class_that_is_no_scheduler_is_a_clear_error_naming_those_there_are():
    with pytest.raises(SchedulerClassError) as caught:
        parse(FARM, "farm.py", class_name="LoggingMixin")
    assert isinstance(caught.value, SchedulerParseError)
    assert caught.value.classes == ["FarmGPUScheduler", "FarmScheduler"]
    assert "farm.py:1" in str(caught.value)
    assert "FarmGPUScheduler, FarmScheduler" in str(caught.value)
    with pytest.raises(SchedulerClassError):
        parse(HDA, "hda.py", class_name="Nope")


def test_naming_the_class_parse_reads_anyway_is_no_choice():
    """`chosen_class` None means "the module's class": naming that one must not make a
    second key for the same class (breakpoints, cooks and autosaves agree on it)."""
    from scheduler_studio.engine.codegen import parse, scheduler_classes
    data = (b"import pdg\nfrom pdg.scheduler import PyScheduler\n\n\n"
            b"class A(PyScheduler):\n    def onTick(self):\n        return 1\n\n\n"
            b"class B(A):\n    def onTick(self):\n        return 2\n\n\n"
            b"def registerTypes(type_registry):\n"
            b"    type_registry.registerScheduler(B)\n    type_registry.registerScheduler(A)\n")
    assert [name for name, _ in scheduler_classes(data)] == ["B", "A"]
    assert parse(data).class_name == "B" and parse(data).origin.chosen_class is None
    assert parse(data, class_name="B").origin.chosen_class is None
    assert parse(data, class_name="A").origin.chosen_class == "A"
