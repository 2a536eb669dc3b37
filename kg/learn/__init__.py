"""Fitting what the extraction learns from annotated articles (``kg train-relations``).

``examples`` reads annotated articles into labelled candidates, ``fit`` fits
the relation classifiers and the own-event chooser, chooses thresholds and
cross-validates by article, ``train`` is the command's library entry. Needs
scikit-learn (``pip install 'kg[learn]'``); building a graph does not.
"""
