"""The Boltzmann lab's views."""
