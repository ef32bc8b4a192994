"""The job layer: one module per job (clean, dedupe, survey, segment, complaints, report, inspect), each
`run(inputs, options) -> Results`, with typed options (options.py) and the user's language (language.py).
Every door (CLI, ribbon, Lite) calls the same job; see ARCHITECTURE.md."""
