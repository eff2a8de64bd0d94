"""The deep-belief-net lab's views."""
