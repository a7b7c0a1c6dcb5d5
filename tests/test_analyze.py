"""`harmline analyze`: JSON lines in, JSON lines out, bad lines named on stderr, streaming."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def analyze(*lines: str) -> tuple[list[dict[str, object]], str, int]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "harmline", "analyze", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate("\n".join(lines).encode()), timeout=60)
    assert process.returncode is not None
    return [json.loads(line) for line in out.decode().splitlines()], err.decode(), process.returncode


async def test_each_text_gets_language_category_and_normalised_indicators() -> None:
    results, errors, code = await analyze(
        json.dumps({"text": "Tahniah! Anda menang RM5000, klik hxxps://bnm-hadiah[.]com/tuntut, "
                            "WhatsApp 012-345 6789"}),
        json.dumps({"text": "มิจฉาชีพโทรมา โทร 081-234-5678", "country": "TH"}),
        json.dumps({"text": "ok see you at 7", "language_hint": "en"}),
    )
    assert code == 0 and errors == ""
    first, thai, benign = results
    assert first["language"] == "ms" and first["category"] == "scam"
    assert {"type": "url", "value": "https://bnm-hadiah.com/tuntut"} in first["indicators"]  # re-fanged
    assert {"type": "phone", "value": "+60123456789"} in first["indicators"]  # E.164, Malaysia from Malay
    assert thai["language"] == "th" and {"type": "phone", "value": "+66812345678"} in thai["indicators"]
    assert benign["category"] == "other" and benign["indicators"] == []
    assert set(first) == {"language", "language_confidence", "category", "scam_type", "confidence", "indicators",
                          "explanation"}


async def test_bad_lines_are_named_by_number_and_the_rest_goes_on() -> None:
    results, errors, code = await analyze(
        json.dumps({"text": "scam call, pay now"}), "not json", json.dumps([1, 2]), json.dumps({"text": 5}),
        json.dumps({"text": "x", "country": "US"}), json.dumps({"text": "second good line"}))
    assert len(results) == 2 and code == 1
    assert "line 2: not valid JSON" in errors
    assert "line 3: not a JSON object" in errors
    assert 'line 4: "text" must be a string' in errors
    assert "line 5: \"country\" must be an ASEAN country code, got 'US'" in errors
    assert "2 line(s) analysed, 4 bad line(s) skipped" in errors


async def test_results_stream_out_before_the_input_ends() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "harmline", "analyze", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps({"text": "Your parcel is held, pay customs fee at hxxp://pos-fee[.]top"}).encode()
                        + b"\n")
    await process.stdin.drain()
    first = await asyncio.wait_for(process.stdout.readline(), timeout=30)  # stdin is still open
    assert json.loads(first)["category"] == "scam"
    process.stdin.close()
    await asyncio.wait_for(process.wait(), timeout=30)
