"""Numbers behind the reports: activity, conversion, compliance, pace, trend, plan and alerts.

Every function here is pure: pandas frames and plain values in, frames or dataclasses out.
The frames follow the lead's contract, spelled out in `metrics.frames`.
"""
