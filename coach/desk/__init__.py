"""The trainer's desk, engine side: team heatmap, one rep's detail, per-drill figures, one attempt read
turn by turn. Every function returns JSON-ready dicts and lists (the HTTP routes send them as they are).
"""
