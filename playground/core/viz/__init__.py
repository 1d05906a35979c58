"""Looking inside convolutional networks: pure functions from a model and inputs to NumPy arrays.

Every method takes a :class:`VizModel` (a graph built in the app, :class:`GraphVizModel`, or a zoo
network from :mod:`playground.core.zoo`), its input(s) and options, and a torch ``device``:

    filters(model, layer)                         first layer as RGB tiles, deeper ones per channel
    feature_maps(model, x, layer, backend=)       activations of any layer (PyTorch or NumPy)
    top_patches(model, images, layer, channel)    receptive-field crops that excite a unit most
    saliency(model, x, target, smooth=, backend=) vanilla gradient / SmoothGrad (PyTorch or NumPy)
    guided_backprop(model, x, target)             guided backpropagation
    gradcam(model, x, target, layer=, guided=)    Grad-CAM and guided Grad-CAM
    fgsm(model, x, label, epsilon=)               a one-step adversarial example

Sequence models (RNN / LSTM / GRU, on either backend through a :class:`SequenceModel`):

    recurrent_states(model, sample)               hidden states and gates over time (units × time)
    unit_firing(trace, unit, tokens)              one unit's activity next to the tokens it read
    gradient_through_time(model, x, target)       ‖∂L/∂h_t‖ against t: the vanishing gradient

Iterative methods are generators of :class:`Progress` (step, values, lazily rendered ``image``); stop
iterating or set the ``cancel`` event to cancel:

    class_visualization(model, target)   deep_dream(model, x)   style_transfer(model, content, style)
    pgd(model, x, label)

The command line and the app's Visualize workspace run these through one door: the catalogue in
:mod:`.methods` (what each method needs, its parameters with one default, range and help) and
``run_method(model, MethodCall("dream", {"steps": 20}, image=photo))`` in :mod:`.run`, which fills in the
defaults, checks the values and returns the picture with the numbers behind it.
"""

from .adversarial import AdversarialResult, fgsm, fgsm_batch, pgd
from .attribution import Attribution, UnitTarget
from .classviz import class_visualization, maximize_unit
from .dream import deep_dream
from .errors import UnknownLayerError, VizError
from .features import FeatureMaps, feature_maps
from .filters import FilterView, filters
from .gradcam import gradcam, gradcam_batch
from .graph_model import GraphVizModel, project_splits
from .guided import gradient_picture, guided_backprop, guided_relus
from .images import heatmap, load_image, overlay, save_png
from .model import LayerInfo, VizModel
from .pointing import pointing_game, pointing_hits
from .progress import Progress, run_to_end
from .receptive_field import ReceptiveField
from .recurrent import RecurrentTrace, UnitFiring, recurrent_states, unit_firing
from .saliency import saliency, saliency_batch
from .samples import bundled_image, bundled_names, image_from
from .sequence_model import SequenceModel
from .style import style_losses, style_transfer
from .through_time import GradientThroughTime, gradient_through_time
from .toppatches import TopPatches, top_patches

__all__ = [
    "AdversarialResult",
    "Attribution",
    "FeatureMaps",
    "FilterView",
    "GradientThroughTime",
    "GraphVizModel",
    "LayerInfo",
    "Progress",
    "ReceptiveField",
    "RecurrentTrace",
    "SequenceModel",
    "TopPatches",
    "UnitFiring",
    "UnitTarget",
    "UnknownLayerError",
    "VizError",
    "VizModel",
    "bundled_image",
    "bundled_names",
    "class_visualization",
    "deep_dream",
    "feature_maps",
    "fgsm",
    "fgsm_batch",
    "filters",
    "gradcam",
    "gradcam_batch",
    "gradient_picture",
    "gradient_through_time",
    "guided_backprop",
    "guided_relus",
    "heatmap",
    "image_from",
    "load_image",
    "maximize_unit",
    "overlay",
    "pgd",
    "pointing_game",
    "pointing_hits",
    "project_splits",
    "recurrent_states",
    "run_to_end",
    "saliency",
    "saliency_batch",
    "save_png",
    "style_losses",
    "style_transfer",
    "top_patches",
    "unit_firing",
]
