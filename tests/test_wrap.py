"""extract/wrap.py: hard-wrapped wire lines joined before parsing, offsets kept."""

from tollbook.extract.wrap import unwrap

PARA = ("GUERRILLAS OF THE RED DAWN FRONT DYNAMITED TWO ELECTRIC PYLONS NEAR THE\n"
        "TOWN OF SAN ISIDRO LAST NIGHT, LEAVING THE WHOLE VALLEY WITHOUT POWER\n"
        "FOR SEVERAL HOURS, THE POLICE SAID TODAY IN A BRIEF STATEMENT TO THE\n"
        "PRESS.\n")


def test_lines_of_a_paragraph_are_joined_with_the_same_length():
    text = "   LIMA, 2 MAR 90 -- [TEXT] " + PARA + "\n   " + PARA + "\n   " + PARA
    out = unwrap(text)
    assert len(out) == len(text)
    assert "NEAR THE TOWN OF SAN ISIDRO" in out and "TO THE PRESS." in out
    # paragraph breaks (a blank line, an indented line) stay
    assert out.count("\n\n   ") == 2


def test_short_lines_and_unwrapped_text_stay():
    text = "Gunmen killed two men.\nPolice said so.\n\nA second paragraph.\n"
    assert unwrap(text) == text
    headline = "BOMB KILLS TWO\n" + PARA + "\n" + PARA
    assert unwrap(headline).startswith("BOMB KILLS TWO\n")  # a short line is not a wrapped one
