"""Pure types and rules of the iBOK domain: no I/O, no UI, nothing else of the project."""
