"""The scikit-learn side of the prediction benchmark, as a user would write it: load a pickled
LogisticRegression, pandas.read_csv, predict_proba, DataFrame.to_csv to standard output (the same
two columns as `logreg predict`: label, probability of the positive class).

usage: sk_predict.py DATA.csv MODEL.pkl > out.csv
"""

import pickle
import sys

import numpy as np
import pandas as pd


def main():
    data, model_path = sys.argv[1], sys.argv[2]
    with open(model_path, "rb") as f:
        bundle = pickle.load(f)
    clf, features = bundle["model"], bundle["features"]
    df = pd.read_csv(data)
    proba = clf.predict_proba(df[features])[:, 1]
    label = clf.classes_[(proba >= 0.5).astype(np.intp)]
    pd.DataFrame({"label": label, "probability": proba}).to_csv(sys.stdout, index=False)


if __name__ == "__main__":
    main()
