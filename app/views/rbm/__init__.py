"""Views only the RBM lab draws."""
