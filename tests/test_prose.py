"""actlab.book.prose: the author's sentence with the run's values put in, or a clear error."""

import math

import numpy as np
import pytest

from actlab.book.prose import Findings, say, span
from actlab.lab.verdict import compare


def test_fills_fields_and_joins_wrapped_lines():
    p = say("""
        The loss fell to {loss:.3f}
        after {n} epochs.

        - first {a:.0%}
        - second
        """, loss=np.float64(0.04123), n=np.int64(20), a=0.5)
    assert p.text == "The loss fell to 0.041 after 20 epochs.\n\n- first 50%\n- second"
    assert repr(p) == p._repr_markdown_() == str(p) == p.text
    assert p.values["n"] == 20 and "{loss:.3f}" in p.template


def test_verdict_attributes_go_in():
    v = compare([0.95, 0.96, 0.94], [0.90, 0.92, 0.91], names=("ReLU", "tanh"), tie=0.003)
    assert say("ReLU is {v.word} tanh {v.seeds}.", v=v).text == "ReLU is ahead tanh on 3 of 3 seeds."


@pytest.mark.parametrize("values, message", [
    ({}, "no value x= was given"),
    ({"x": 1, "y": 2}, "not used in the template: y"),
    ({"x": None}, "holds None"),
    ({"x": math.nan}, "holds nan"),
    ({"x": np.float32(0.1)}, "give it a format"),
])
def test_refuses_what_a_sentence_must_not_state(values, message):
    with pytest.raises((KeyError, TypeError, ValueError), match=message):
        say("The value is {x}.", **values)


def test_whole_floats_and_infinity_need_no_format():
    assert say("{a} and {b}", a=3.0, b=math.inf).text == "3.0 and inf"


def test_positional_fields_and_non_text_are_refused():
    with pytest.raises(ValueError, match="fields are named"):
        say("{}", x=1)
    with pytest.raises(TypeError, match="template must be a str"):
        say(3)


def test_span_is_the_one_range_phrase():
    from actlab.book.prose import span
    assert say("{a:.3f}", a=span([0.947, 0.912, 0.93])).text == "0.912 to 0.947"
    assert say("{a:.2f}", a=span([0.5004, 0.4996])).text == "0.50"
    assert say("{a}", a=span([3, 5])).text == "3 to 5"
    assert say("{a:.1f}", a=span([1, 2], sep="–")).text == "1.0–2.0"
    with pytest.raises(ValueError, match="give a span a format"):
        say("{a}", a=span([0.1, 0.2]))
    with pytest.raises(ValueError, match="nan"):
        span([0.1, math.nan])
    with pytest.raises(ValueError, match="no values"):
        span([])


def test_span_with_its_mean():
    from actlab.book.prose import span
    assert say("{a:.3f}", a=span([0.91, 0.935, 0.92], mean=True)).text == "0.922 (0.910 to 0.935)"
    assert say("{a:.2f}", a=span([0.5, 0.5], mean=True)).text == "0.50 (0.50)"


def test_findings_give_the_fields_a_template_names_and_may_hold_more():
    f = Findings(n=5, acc=span([0.91, 0.93]), unused=1.5)
    p = say("{n} seeds, accuracy {acc:.2f}.", f)
    assert p.text == "5 seeds, accuracy 0.91 to 0.93."
    assert set(p.values) == {"n", "acc"}  # what the text states, not all the findings
    # keywords beside findings: still each used, and never the same name twice
    assert say("{n} and {k}", f, k=2).text == "5 and 2"
    with pytest.raises(TypeError, match="not used"):
        say("{n}", f, k=2)
    with pytest.raises(TypeError, match="both"):
        say("{n}", f, n=4)
    with pytest.raises(KeyError, match="missing"):
        say("{missing}", f)
    with pytest.raises(TypeError, match="mapping"):
        say("{n}", [("n", 5)])
    # the guards hold for findings too: nan and unformatted floats are refused
    with pytest.raises(ValueError, match="format"):
        say("{unused}", f)


def test_findings_are_read_only_named_and_merge_without_clashes():
    f = Findings({"a": 1}, b=2)
    assert dict(f) == {"a": 1, "b": 2} and len(f) == 2
    assert dict(f | {"c": 3}) == {"a": 1, "b": 2, "c": 3}
    with pytest.raises(ValueError, match="twice"):
        f | {"a": 0}
    with pytest.raises(ValueError, match="identifiers"):
        Findings({"not a name": 1})
    with pytest.raises(KeyError, match="there are: a, b"):
        f["z"]
    with pytest.raises(TypeError):
        f["a"] = 3


def test_expect_stops_a_paragraph_written_for_another_outcome():
    v = compare([0.90, 0.91, 0.92], [0.90, 0.91, 0.92], names=("a", "b"), tie=0.01)
    f = Findings(v=v, n=3)
    assert f.expect(v="tied", n=3) is f
    with pytest.raises(AssertionError, match=r"v is 'tied', not 'ahead'.*Reread"):
        f.expect(v="ahead")
    with pytest.raises(AssertionError, match="n is '3', not 4"):
        f.expect(n=4)
