"""The deep autoencoder of Hinton & Salakhutdinov (Science 2006): pre-train a stack of RBMs (the code layer
linear), unroll it into an encoder and a decoder with tied weights, fine-tune by back-propagation.

    from engine import autoencoder as ae
    pre = ae.Pretrainer(images, [144, 100, 50, 2], epochs=20)
    while not pre.done: pre.step()
    net = ae.unroll(pre.layers())                 # decoder weights = encoder weights transposed
    tuner = ae.FineTuner(net, images, held_out)
    for _ in range(30): tuner.train_epoch()
    codes = ae.encode(net, images); pca = ae.pca(images, 2)

``reference.py`` holds the forward and backward passes, ``model.py`` the network, unrolling and PCA,
``pretrain.py`` the stack, ``finetune.py`` back-propagation.
"""

from engine.autoencoder.finetune import FineTuner
from engine.autoencoder.model import (
    PCA,
    AutoEncoder,
    check_sizes,
    encode,
    pca,
    random_init,
    reconstruct,
    squared_error,
    unroll,
)
from engine.autoencoder.pretrain import LinearRBMTrainer, Pretrainer

__all__ = ["PCA", "AutoEncoder", "FineTuner", "LinearRBMTrainer", "Pretrainer", "check_sizes", "encode", "pca",
           "random_init", "reconstruct", "squared_error", "unroll"]  # fmt: skip
