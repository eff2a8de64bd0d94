"""Unroll's numeric core: recurrent networks, Hopfield networks and restricted Boltzmann machines."""

from engine.allocator import keep_freed_memory

keep_freed_memory()  # every pass allocates a fresh trace; see allocator.py
