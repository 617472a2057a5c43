"""The session's life cycle, composed beside the app (which holds a `SessionControl` and
delegates to it): signing in and resuming a remembered session, an expired session asked
again, logout, acting for a customer (the clerk's desk) and the kiosk's policy and wiping."""
