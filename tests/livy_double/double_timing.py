"""When things happen in a real Livy: the timings the double replays, from tests/livy-recordings.

Two profiles per mode. `fast` (the default) keeps every recorded shape whose cost is a few
milliseconds (the /state flip after `completed`, /state still `idle` just after a POST on YARN,
1.0 while still `running`, cancel's `cancelling` phase and second `completed` stamp), so the
process tests see them without being slowed down. `recorded` adds the slow ones: Livy's hold on
the first statement, `progress` lagging the tasks, and `idle` gaps inside some statements. test_double_timelines.py checks each figure against the recording it comes from.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class TimingProfile:
    """Seconds, except `state_gap_every` (a count)."""

    state_flip_lag: float          # /state says `busy` this long after the statement's `completed`
    post_idle_lag: float           # /state still says `idle` this long after a POST to an idle session
    running_tail: float            # a statement with Spark jobs stays `running` at progress 1.0
    cancelling_phase: float        # `cancelling` lasts at least this long before `cancelled`
    cancel_restamp: float          # `completed` is stamped again this long after `cancelled`
    first_statement_hold: float    # the session's first statement stays `waiting` this long
    progress_lag: float            # a finished task shows in `progress` this much later
    state_gap: float               # `idle` gap on /state shortly after a statement starts running
    state_gap_every: int           # ... in every n-th statement of a session (0: never)


# Recorded figures, each derived in test_double_timelines.py from the recording it comes from:
# rec1b_state_race_* (/state flip after `completed`: median; `idle` after a POST: longest; gaps:
# longest, and one statement in round(statements / gaps)), rec1_timeline_* (1.0 while `running`:
# median over single-job statements; `cancelling`: cancel POST to the first `completed` stamp;
# restamp: between the two stamps), rec3_session_start_* (first statement's hold),
# rec1_spark_tasks_local.json against rec1_timeline_local (`progress` behind Spark's tasks).
RECORDED = {
    "local": TimingProfile(state_flip_lag=0.00125, post_idle_lag=0.0, running_tail=0.0131,
                           cancelling_phase=0.118, cancel_restamp=0.099,
                           first_statement_hold=1.395, progress_lag=0.16,
                           state_gap=0.0004, state_gap_every=20),
    "yarn": TimingProfile(state_flip_lag=0.0015, post_idle_lag=0.0145, running_tail=0.0131,
                          cancelling_phase=0.096, cancel_restamp=0.031,
                          first_statement_hold=2.213, progress_lag=0.16,
                          state_gap=0.113, state_gap_every=3),
}

TIMINGS = ("fast", "recorded")


def profile(timing, yarn, **overrides):
    """The profile for `timing` in local or YARN mode, with the double's explicit overrides
    (None: the profile's value; an explicit `state_gap` applies to every statement)."""
    if timing not in TIMINGS:
        raise ValueError(f"timing must be one of {', '.join(TIMINGS)}")
    recorded = RECORDED["yarn" if yarn else "local"]
    chosen = recorded if timing == "recorded" else dataclasses.replace(
        recorded, first_statement_hold=0.0, progress_lag=0.0, state_gap=0.0, state_gap_every=0)
    overrides = {name: value for name, value in overrides.items() if value is not None}
    for name, value in overrides.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative")
    if "state_gap" in overrides:
        overrides["state_gap_every"] = 1 if overrides["state_gap"] > 0 else 0
    return dataclasses.replace(chosen, **overrides)


def gap_for(profile_, statement_number):
    """The `idle` gap of the session's `statement_number`-th statement (0-based), or 0."""
    every = profile_.state_gap_every
    return profile_.state_gap if every and (statement_number + 1) % every == 0 else 0.0

