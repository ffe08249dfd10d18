"""What a rep should practise next: trainers' assignments, spaced review of objections, the next drill.

Plain Python over stored results (coach.results.store.DrillResult) with the clock passed in, so
tests set the time. Attempts without a rep reply never count (coach.results.report.replied).
"""
