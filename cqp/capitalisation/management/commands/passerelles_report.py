import time
from collections import Counter

from django.core.management.base import BaseCommand

from cqp.capitalisation.selectors import passerelles_batch


class Command(BaseCommand):
    help = "Passerelles de tous les titulaires de blocs : un résumé (titulaires, certifications atteintes, couverture)."

    def add_arguments(self, parser):
        parser.add_argument("--top", type=int, default=10, help="Certifications les plus proches à lister.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        holders = rows = complete = 0
        buckets = Counter()
        near = Counter()  # certifications at half or more, not held whole
        for _candidate_id, passerelles in passerelles_batch():
            holders += 1
            rows += len(passerelles)
            for p in passerelles:
                if p.complete:
                    complete += 1
                elif p.coverage >= 0.5:
                    near[(p.code, p.title)] += 1
                buckets[min(int(p.coverage * 4), 3) if not p.complete else 4] += 1
        elapsed = time.perf_counter() - started
        out = self.stdout
        out.write(f"Titulaires de blocs : {holders}")
        out.write(f"Passerelles (personne × certification) : {rows}")
        out.write(f"Certifications détenues en entier : {complete}")
        labels = ["< 25 %", "25–49 %", "50–74 %", "75–99 %", "100 %"]
        for index, label in enumerate(labels):
            out.write(f"  couverture {label} : {buckets[index]}")
        if near:
            out.write(f"Certifications couvertes à moitié ou plus par le plus de personnes (top {options['top']}) :")
            for (code, title), count in near.most_common(options["top"]):
                out.write(f"  {code} — {title[:70]} : {count}")
        out.write(f"Calculé en {elapsed:.1f} s.")
