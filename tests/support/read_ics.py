#!/usr/bin/python3
"""Reads an iCalendar document on stdin with the icalendar library (Debian's
python3-icalendar) and prints its events as JSON: uid, summary, description and the start
(an all-day date as YYYY-MM-DD, with "all_day": true). Exits non-zero if it does not parse."""
import datetime
import json
import sys

import icalendar

cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = []
for e in cal.walk("VEVENT"):
    start = e.decoded("DTSTART")
    events.append(
        {
            "uid": str(e.get("UID")),
            "summary": str(e.get("SUMMARY")),
            "description": str(e.get("DESCRIPTION", "")),
            "start": start.isoformat(),
            "all_day": isinstance(start, datetime.date) and not isinstance(start, datetime.datetime),
        }
    )
print(json.dumps({"name": str(cal.get("X-WR-CALNAME", cal.get("NAME", ""))), "events": events}, ensure_ascii=False))
