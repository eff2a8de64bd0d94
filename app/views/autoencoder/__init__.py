"""The deep-autoencoder lab's views."""
