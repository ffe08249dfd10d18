"""Role-play drills at run time: the session, the customer (engine), the rubric and scoring, picking."""
