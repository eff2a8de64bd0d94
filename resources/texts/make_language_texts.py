"""Writes the language lab's sample texts (language_en.txt, language_zh.txt) from small grammars of our own:
short sentences about rivers, gardens and a class that learns, with dialogue in quotation marks (a model can learn
to track whether it is inside a quote). Run from the repository: ``python -m resources.texts.make_language_texts``."""

from __future__ import annotations

import random
from pathlib import Path

EN = {
    "who": [
        "the teacher",
        "a student",
        "the old gardener",
        "my sister",
        "the child",
        "a tired traveller",
        "the river keeper",
        "our neighbour",
        "the baker",
        "a small bird",
    ],
    "does": [
        "walks along",
        "looks at",
        "listens to",
        "remembers",
        "forgets",
        "counts",
        "follows",
        "paints",
        "waits by",
        "sings about",
    ],
    "what": [
        "the river",
        "the quiet garden",
        "the long road",
        "the morning rain",
        "an open window",
        "the stone bridge",
        "the evening light",
        "a green field",
        "the falling leaves",
        "the winter sky",
    ],
    "how": [
        "slowly",
        "every morning",
        "without a word",
        "again and again",
        "for a long time",
        "with care",
        "before the storm",
        "after the bell",
    ],
    "said": ["said", "asked", "whispered", "answered", "called out"],
    "line": [
        "Where does the water go?",
        "I will remember this.",
        "Read one word, then the next.",
        "The rain is coming back.",
        "Look, the bridge is still there!",
        "Keep a little of every day.",
        "Do you hear the birds?",
        "Tomorrow we begin again.",
    ],
}
ZH = {
    "who": ["老师", "学生", "老园丁", "我的妹妹", "小孩", "远方的旅人", "守河人", "邻居", "面包师", "一只小鸟"],
    "does": ["沿着", "看着", "听着", "记得", "忘了", "数着", "跟着", "画着", "等在", "唱着"],
    "what": [
        "那条河",
        "安静的花园",
        "长长的路",
        "早晨的雨",
        "打开的窗",
        "石桥",
        "傍晚的光",
        "绿色的田野",
        "飘落的叶子",
        "冬天的天空",
    ],
    "how": ["慢慢地", "每天早上", "一句话也不说", "一遍又一遍", "很久很久", "小心地", "在风雨之前", "下课以后"],
    "said": ["说", "问", "轻声说", "回答", "大声喊"],
    "line": [
        "水流到哪里去了？",
        "我会记住这一刻。",
        "读一个字，再读下一个字。",
        "雨又要来了。",
        "看，桥还在那里！",
        "每一天都留下一点。",
        "你听见鸟叫了吗？",
        "明天我们重新开始。",
    ],
}


def sentence(g: dict, rng: random.Random, chinese: bool) -> str:
    pick = lambda k: rng.choice(g[k])  # noqa: E731
    if rng.random() < 0.3:
        if chinese:
            return f"{pick('who')}{pick('said')}：“{pick('line')}”"
        line = pick("line")
        return f'"{line[:-1] + "," if line.endswith(".") else line}" {pick("said")} {pick("who")}.'
    if chinese:
        return f"{pick('who')}{pick('how')}{pick('does')}{pick('what')}。"
    s = f"{pick('who')} {pick('does')} {pick('what')} {pick('how')}."
    return s[0].upper() + s[1:]


def text(g: dict, seed: int, paragraphs: int, chinese: bool) -> str:
    rng = random.Random(seed)
    join = "" if chinese else " "
    return "\n\n".join(join.join(sentence(g, rng, chinese) for _ in range(rng.randint(3, 7)))
                       for _ in range(paragraphs)) + "\n"  # fmt: skip


if __name__ == "__main__":
    here = Path(__file__).parent
    (here / "language_en.txt").write_text(text(EN, 0, 90, False), encoding="utf-8")
    (here / "language_zh.txt").write_text(text(ZH, 1, 110, True), encoding="utf-8")
