"""Views only the Hopfield lab draws."""
