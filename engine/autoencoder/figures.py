"""The shape of Hinton & Salakhutdinov's table on the project's own digits: held-out squared error per image of
the pre-trained autoencoder, of the same network randomly initialised and fine-tuned as many epochs in all, and of
PCA at the same code size. (Theirs, MNIST test images, 30-D code: autoencoder 3.00, logistic PCA 8.01, PCA 13.87.)"""

from __future__ import annotations

from engine import image_sets
from engine.autoencoder.finetune import FineTuner
from engine.autoencoder.model import pca, random_init, squared_error, unroll
from engine.autoencoder.pretrain import Pretrainer

PUBLISHED_30D = {"autoencoder": 3.00, "logistic PCA": 8.01, "PCA": 13.87}


def held_out_errors(code: int, hidden: tuple[int, ...] = (100, 50), pre_epochs: int = 10, fine_epochs: int = 60,
                    per_class: int = 60, size: int = 9, seed: int = 0) -> dict[str, float]:  # fmt: skip
    """{"pretrained", "random", "pca"}: held-out squared error per image at a ``code``-unit code, training on
    ``per_class`` digits of each class (``image_sets.font_digits``, seed ``seed``), testing on 20 of each (seed + 1).
    The random network trains ``pre_epochs + fine_epochs`` epochs, as many as the pre-trained one in all."""
    train = image_sets.font_digits(per_class, size=size, seed=seed)
    test = image_sets.font_digits(20, size=size, seed=seed + 1)
    x, xt = train.images.astype(float), test.images.astype(float)
    sizes = [size * size, *hidden, code]
    pre = Pretrainer(train.images, sizes, pre_epochs, seed=seed)
    while not pre.done:
        pre.step()
    tuner = FineTuner(unroll(pre.layers()), x, xt, seed=seed)
    baseline = FineTuner(random_init(sizes, seed=seed), x, xt, seed=seed)
    for _ in range(fine_epochs):
        tuner.train_epoch()
    for _ in range(fine_epochs + pre_epochs):
        baseline.train_epoch()
    pca_error = squared_error(xt, pca(x, code).reconstruct(xt))
    return {"pretrained": tuner.held_out_error[-1], "random": baseline.held_out_error[-1], "pca": pca_error}
