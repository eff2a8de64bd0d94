"""Views only the recurrent lab draws."""
