"""Widgets every lab uses: the transport bar, lazy tabs, the restore bar, grey pictures. Each lab's own views
live in its folder."""
