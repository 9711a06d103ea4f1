"""Common Swedish first names, for redacting personal names in free text (tsk.text.redact).

EST reports are about places and situations, but a free-text comment sometimes names a person ("Kalle
Svensson klottrade igen"). The list is the kind of fact SCB publishes as name statistics (Statistiska
centralbyrån, "Namnstatistik": the most common first names among people registered in Sweden, women
and men, all ages), written out here in lower case. It is deliberately broad: a missed name is a privacy
problem, a redacted word that was not a name only costs a little meaning.
"""
from __future__ import annotations

FIRST_NAMES: frozenset[str] = frozenset("""
agnes agneta alba albin alexander alfred alice alicia alma alva amanda amelia anders andreas ann anna
annelie anneli annika anton arvid astrid axel barbro bengt benjamin berit birgitta björn bo britt
britta camilla carina carl caroline cecilia charlotte christer christian christina clara daniel david
ebba edith edvin elias elin elisabet elisabeth ella ellen elsa emelie emil emilia emma erik eva
evelina felicia filip frans fredrik frida gerd gunilla gunnar gustav göran hampus hanna hannes hans
harry hedvig helen helena henrik hugo håkan ida inger ingrid ingvar ines isabelle isak ivar jakob jan
jenny jesper jessica joakim johan johanna johannes jonas jonathan josefin julia julius kalle karin
karl katarina kent kerstin kevin kjell klara kristina kristoffer lars leif lena lennart leo liam
lilly lina linda linnea lisa liv louise love lucas ludvig lukas madeleine magnus maja malin
marcus margareta maria marianne marie martin matilda mats mattias melvin mikael moa mona monica
nathalie niklas nils noah nora olivia olle olof oliver oscar oskar patrik per pernilla peter petra
rasmus rebecka robert robin roger rolf ronja rune samuel sandra sara sebastian selma signe simon
siv sixten sofia sofie stefan stig stina sune susanne svea sven theo thomas tilda tobias tomas
tommy tove tyra ulf ulla ulrika walter wilhelm william wilma valter vera viggo viktor vincent
victoria ylva åke åsa
abdi abdullah ahmad ahmed aisha ali amina amir aya fatima hamza hassan hussein ibrahim khalid layla
leila mahmoud maryam mehmet mohamed mohammad mohammed muhammad mustafa nadia omar reza sami samira
yasmin yousef yusuf zainab zahra ayse emre fatma hatice murat andrzej anna jan krzysztof marek
piotr tomasz agnieszka katarzyna malgorzata olga natalia irina sergei dmitri ivan elena
ahmet goran dragan milan nikola jelena ana marko ahmad farah mohammed john james michael david
""".split())

# First names that are also everyday Swedish words ("per vecka", "bo", "stig", "love"): redacted only
# where they cannot be a sentence's first word, or when a surname follows.
ALSO_WORDS: frozenset[str] = frozenset({"per", "bo", "stig", "love", "mona", "vera", "liv", "ines", "tove"})

# Everyday lower-case words that are also first names ("hans" = his, "klara" = manage): a lone
# lower-case one is kept.
LOWERCASE_WORDS: frozenset[str] = ALSO_WORDS | frozenset({
    "hans", "karl", "klara", "björn", "axel", "lina", "linda", "rune", "ella", "malin", "mats", "gerd",
    "siv", "ulla", "sune", "leo", "ivar", "kent", "love", "alba", "saga", "ana", "ali", "jan", "ivan", "ida",
    "david", "sami", "aya", "eva", "moa", "kalle",
})

# A name followed by one of these is part of a place name ("Karl Johans väg", "Sixtens gata"): kept,
# because where something happened is what an EST report is for.
PLACE_WORDS: frozenset[str] = frozenset("""
gata gatan väg vägen gränd gränden torg torget plan plats platsen park parken skola skolan gård gården
hall hallen backe backen stig stigen allé allén hus huset
""".split())
