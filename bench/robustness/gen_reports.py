#!/usr/bin/env python3
"""Writes a folder of synthetic news reports for timing `concord evidence conflicts`.

    gen_reports.py OUT_DIR REPORTS CLAIMS [SEED]

Each report has CLAIMS sentences, each about one of a shared pool of events (a strike on a
place on a day, with a toll; a meeting of two actors in a city), worded from templates, with
figures and days sometimes changed from report to report, so that clauses align across reports
and some figures and dates conflict. Deterministic for a seed.
"""
import os
import random
import sys

ACTORS = ["Russia", "Ukraine", "Moscow", "Kyiv", "the Kremlin", "NATO", "the EU",
          "Washington", "Britain", "France", "Germany", "Poland", "Turkey", "China"]
SPEAKERS = ["officials said", "the governor said", "the regional administration said",
            "local authorities said", "the military said", "emergency services said"]
WEAPONS = ["drone", "missile", "artillery", "glide bomb", "rocket"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TOPICS = ["prisoner exchanges", "a ceasefire", "security guarantees", "reconstruction",
          "energy supplies", "grain exports", "sanctions", "air defence"]
SYLLABLES = ["ka", "ro", "vi", "len", "dor", "mi", "sk", "pol", "tav", "zan", "rih", "ne",
             "bur", "gor", "sta", "lin", "vo", "dy"]


def place(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def main():
    out, reports, claims = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    rng = random.Random(seed)
    events = []
    for _ in range(max(10, reports * claims // 8)):
        if rng.random() < 0.7:
            events.append(("strike", place(rng), rng.choice(WEAPONS), rng.choice(DAYS),
                           rng.randint(1, 60), rng.choice(["killed", "wounded"])))
        else:
            a, b = rng.sample(ACTORS, 2)
            events.append(("meet", a, b, place(rng), rng.choice(DAYS), rng.choice(TOPICS)))
    os.makedirs(out, exist_ok=True)
    for r in range(reports):
        lines = []
        for _ in range(claims):
            e = rng.choice(events)
            if e[0] == "strike":
                _, where, weapon, day, toll, what = e
                if rng.random() < 0.15:
                    toll += rng.choice([-2, -1, 1, 3])
                if rng.random() < 0.1:
                    day = rng.choice(DAYS)
                speaker = rng.choice(SPEAKERS)
                if rng.random() < 0.5:
                    lines.append(f"A {weapon} strike on {where} on {day} {what} {max(toll, 1)} people, {speaker}.")
                else:
                    lines.append(f"{rng.choice(ACTORS)} said a {weapon} attack hit {where} early on {day}, and {max(toll, 1)} people were {what}.")
            else:
                _, a, b, where, day, topic = e
                if rng.random() < 0.1:
                    day = rng.choice(DAYS)
                if rng.random() < 0.5:
                    lines.append(f"Envoys of {a} and {b} met in {where} on {day} to discuss {topic}.")
                else:
                    lines.append(f"{b} hosted talks with {a} in {where} on {day} about {topic}, {rng.choice(SPEAKERS)}.")
        with open(os.path.join(out, f"r{r:03}.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
