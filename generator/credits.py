"""A photo's caption as outlets write it, and the credit in it: "… on Monday. (Reuters)", "… Photo: Ali Omar/AFP",
"… (تصوير: أحمد علي)", "… REUTERS/Esam Omran". A story shows its photo's credit apart, after "Photo:" /
"الصورة:" (an agency's photo must be credited), so an importer takes it out of the caption, but only where the
outlet marks it as one: by a label, by an agency's name in brackets, or as an agency writes its photographer's
name. A caption that only ends in brackets ("… the minister (right)") keeps them."""

from __future__ import annotations

import re

MOST_CAPTION = 600  # characters: a caption is a sentence or two; longer, it is read as it is

# Agencies and the words outlets credit them by, as a word of the bracket's text: "(Reuters)", "(Ali Omar/AFP)",
# "(AFP via Getty Images)", "(رويترز)", "(الأناضول)", "(مواقع التواصل)".
_AGENCIES = re.compile(
    r"(?<!\w)(?:reuters|afp|ap|associated press|getty(?: images)?|epa(?:-efe)?|efe|anadolu|xinhua|bloomberg|"
    r"shutterstock|alamy|sipa|wana|sana|wafa|unicef|unrwa|social media|"
    r"رويترز|أ ?ف ?ب|أ\.ف\.ب|فرانس برس|الفرنسية|أسوشيتد برس|الأناضول|غيتي(?: إيميجز)?|الأوروبية|إي بي إيه|"
    r"شينخوا|شترستوك|مواقع التواصل(?: الاجتماعي)?|وكالات|الجزيرة|بي بي سي)(?!\w)",
    re.IGNORECASE)
# A label before the credit: "Photo: …", "Photograph: …", "Image source, …" (the BBC's), "تصوير: …", "© …", in
# brackets or not; in English with its capital, as a label is written ("the images: …" is a sentence). Not
# "صورة:" or "الصورة:": Arabic pages open a caption's description with them ("صورة: مدخل المكتبة").
_LABELLED = re.compile(
    r"[(\[]?\s*(?:(?:(?:Photo|PHOTO)(?:graph)?s?|Pictures?|Images?|Image source|Photo credit|Credits?|تصوير|"
    r"بعدسة|عدسة|مصدر الصورة|حقوق الصورة|الصورة من)\s*[:：,،]|©)\s*(?P<credit>[^:()\[\]]{2,100}?)\s*[)\]]?[\s.]*$")
_BRACKETED = re.compile(r"[(\[]\s*(?P<credit>[^()\[\]]{2,100}?)\s*[)\]][\s.]*$")
# What a page writes before a caption for screen readers (the BBC's, in a hidden span): no words of the caption.
_CAPTION_LABEL = re.compile(r"^(?:Image caption|Caption|التعليق على الصورة|تعليق على الصورة|تعليق الصورة)\s*[,،:]\s*")
# An agency's own way: "REUTERS/Esam Omran Al-Fetori", "AFP/Abdullah Doma".
_AGENCY_SLASH = re.compile(r"(?<!\w)(?P<credit>(?:REUTERS|AFP|AP|EPA|EPA-EFE|XINHUA|ANADOLU)\s*/\s*[^/()]{2,60}?)[\s.]*$")


def shown_under(caption: str, credit: str) -> str:
    """What a photo in a story's text shows under it (its Markdown title: markup.py makes it a figure's caption)."""
    return f"{caption} ({credit})" if caption and credit else caption or credit


def caption_and_credit(text: str) -> tuple[str, str]:
    """`text` as its caption and its credit ("" where it names none), each on one line."""
    text = _CAPTION_LABEL.sub("", " ".join(text.split()))
    if len(text) > MOST_CAPTION:
        return text, ""
    for pattern in (_LABELLED, _AGENCY_SLASH, _BRACKETED):
        found = pattern.search(text)
        if found and (pattern is not _BRACKETED or _AGENCIES.search(found["credit"])):
            return text[:found.start()].rstrip(" -–—|,،;:"), found["credit"].strip(" .")
    return text, ""
