"""The language lab's views: the text coloured by surprisal or a hidden unit, writing step by step, perplexity over
training, samples over training, the embedding in 2-D (the beam tree is the shared ``app.views.beam_tree``)."""
