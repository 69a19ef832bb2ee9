"""The meeting pages, split by subject; ``meetings.urls`` names each view by its module."""
