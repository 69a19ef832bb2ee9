"""Whole-system tests: every URL against every role, security, property tests, e-mail languages and the
`make run` smoke test. They read every app, so they live outside the apps and the ground floor (the
import linter checks only the packages listed in .importlinter)."""
