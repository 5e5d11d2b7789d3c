"""Write a full-size XML export (flow v4.1) built from the real sample fiches.

    .venv/bin/python bench/registry_generate.py            # 30,500 fiches, about 570 MB
    .venv/bin/python bench/registry_generate.py --fiches 2000

The real RNCP export of 2026-08-16 holds about 30,500 fiches, 56,000 blocks and 400,000 partner
rows in about 570 MB. This generator cycles the 15 real fiches shipped in
cqp/catalogue/registry/samples/, gives each copy unique codes (fiche, blocks), keeps a share of
the blocks and draws a number of partners (from the real partner rows, with new SIRETs) so that
the totals approach those figures, and pads the long texts as the real ones are. Deterministic:
the same arguments give the same file. Output: bench/data/ (not committed).
"""

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "cqp" / "catalogue" / "registry" / "samples"
DATA = Path(__file__).resolve().parent / "data"
TEMPLATES = (
    "export_fiches_RNCP_V4_1_sample.xml",
    "export_fiches_RS_V4_1_sample.xml",
    "export_fiches_RNCP_V4_1_extract_RNCP35340.xml",
)
FULL = {"fiches": 30_500, "blocks": 56_000, "partners": 400_000, "bytes": 570 * 1000**2}

_FICHE = re.compile(r"<FICHE>.*?</FICHE>", re.DOTALL)
_PARTNERS = re.compile(r"<PARTENAIRES>.*?</PARTENAIRES>", re.DOTALL)
_PARTNER = re.compile(r"<PARTENAIRE>.*?</PARTENAIRE>", re.DOTALL)
_BLOCKS = re.compile(r"<BLOCS_COMPETENCES>.*?</BLOCS_COMPETENCES>", re.DOTALL)
_BLOCK = re.compile(r"<BLOC_COMPETENCES>.*?</BLOC_COMPETENCES>", re.DOTALL)
_CODE = re.compile(r"<NUMERO_FICHE>(.*?)</NUMERO_FICHE>")
_SIRET = re.compile(r"<SIRET_PARTENAIRE>\d+</SIRET_PARTENAIRE>")
_TEXT = re.compile(r"<(OBJECTIFS_CONTEXTE|ACTIVITES_VISEES|CAPACITES_ATTESTEES|COMPOSITION)>(.*?)</\1>", re.DOTALL)


class Template:
    def __init__(self, text):
        self.code = _CODE.search(text).group(1)
        self.registry = "RS" if self.code.startswith("RS") else "RNCP"
        blocks = _BLOCKS.search(text)
        self.blocks = _BLOCK.findall(blocks.group()) if blocks else []
        # The fiche with a marker where its blocks and partners go.
        text = _PARTNERS.sub("\0PARTNERS\0", text, count=1)
        self.text = _BLOCKS.sub("\0BLOCKS\0", text, count=1)
        self.has_partner_slot = "\0PARTNERS\0" in self.text


def load_templates():
    templates, partners = [], []
    for name in TEMPLATES:
        text = (SAMPLES / name).read_text(encoding="utf-8")
        for fiche in _FICHE.findall(text):
            partners += _PARTNER.findall(fiche)
            templates.append(Template(fiche))
    return templates, partners


def partner_counts(rng, fiches, total):
    """Skewed like the registry: most fiches have a few partners, some have hundreds."""
    counts = [min(int(rng.paretovariate(1.3)) - 1, 600) for _ in range(fiches)]
    scale = total / max(sum(counts), 1)
    counts = [int(count * scale) for count in counts]
    counts[-1] += total - sum(counts)
    while counts[-1] < 0:
        index = counts.index(max(counts))
        counts[index] += counts[-1]
        counts[-1] = 0
    return counts


def generate(path, *, fiches, blocks, partners, target_bytes, seed=2026):
    rng = random.Random(seed)
    templates, partner_pool = load_templates()
    template_blocks = sum(len(templates[i % len(templates)].blocks) for i in range(fiches))
    keep_block = min(1.0, blocks / max(template_blocks, 1))
    counts = partner_counts(rng, fiches, partners)
    # Long texts are stretched or cut so that the file size approaches the real export's.
    text_size = sum(len(m.group(2).encode()) for t in templates for m in _TEXT.finditer(t.text)) / len(templates)
    base = sum(len(t.text.encode()) for t in templates) / len(templates) - text_size
    partner_size = sum(len(p.encode()) for p in partner_pool) / len(partner_pool)
    block_size = sum(len(b.encode()) for t in templates for b in t.blocks) / max(
        1, sum(len(t.blocks) for t in templates)
    )
    fixed = fiches * base + partners * partner_size + blocks * block_size
    factor = max(0.05, (target_bytes - fixed) / (fiches * text_size)) if target_bytes else 1.0

    written = {"fiches": 0, "blocks": 0, "partners": 0}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='no'?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>")
        for index in range(fiches):
            template = templates[index % len(templates)]
            code = f"{template.registry}{100_000 + index}"
            kept = [b for b in template.blocks if rng.random() < keep_block]
            block_xml = f"<BLOCS_COMPETENCES>{''.join(kept)}</BLOCS_COMPETENCES>" if kept else ""
            chosen = [partner_pool[rng.randrange(len(partner_pool))] for _ in range(counts[index])]
            partner_xml = "".join(
                _SIRET.sub(f"<SIRET_PARTENAIRE>{(index * 1000 + n) % 10**14:014d}</SIRET_PARTENAIRE>", p)
                for n, p in enumerate(chosen)
            )
            text = template.text.replace("\0BLOCKS\0", block_xml)
            if template.has_partner_slot:
                text = text.replace("\0PARTNERS\0", f"<PARTENAIRES>{partner_xml}</PARTENAIRES>" if chosen else "")
            elif chosen:
                text = text.replace("</FICHE>", f"<PARTENAIRES>{partner_xml}</PARTENAIRES></FICHE>")
            else:
                counts[index] = 0
            text = text.replace(template.code, code)
            text = re.sub(r"<ID_FICHE>\d+</ID_FICHE>", f"<ID_FICHE>{500_000 + index}</ID_FICHE>", text, count=1)
            text = text.replace("</INTITULE>", f" — variante {index}</INTITULE>", 1)
            if factor != 1.0:
                text = _TEXT.sub(lambda m: _resize(m, factor), text)
            out.write(text)
            written["fiches"] += 1
            written["blocks"] += len(kept)
            written["partners"] += counts[index]
        out.write("</FICHES>\n")
    written["bytes"] = path.stat().st_size
    return written


def _resize(match, factor):
    tag, body = match.group(1), match.group(2)
    whole, part = int(factor), factor - int(factor)
    cut = int(len(body) * part)
    # Never cut inside an entity reference (&amp;…).
    amp = body.rfind("&", 0, cut)
    if amp >= 0 and body.find(";", amp) >= cut:
        cut = amp
    pieces = [body] * whole + ([body[:cut]] if cut else [])
    return f"<{tag}>{'    '.join(pieces) or body[:1]}</{tag}>"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fiches", type=int, default=FULL["fiches"], help="number of fiches (default 30,500)")
    parser.add_argument("--output", type=Path, default=None, help="output file (default bench/data/…)")
    args = parser.parse_args(argv)
    scale = args.fiches / FULL["fiches"]
    path = args.output or DATA / f"export_fiches_RNCP_V4_1_bench_{args.fiches}.xml"
    figures = generate(
        path,
        fiches=args.fiches,
        blocks=round(FULL["blocks"] * scale),
        partners=round(FULL["partners"] * scale),
        target_bytes=round(FULL["bytes"] * scale),
    )
    print(
        f"{path}: {figures['fiches']:,} fiches, {figures['blocks']:,} blocks, {figures['partners']:,} partners, "
        f"{figures['bytes'] / 1000**2:,.0f} MB"
    )
    return path


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
