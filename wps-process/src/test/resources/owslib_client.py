"""Drives the service the way an analyst's script does, with Debian's OWSLib (python3-owslib).

Usage: owslib_client.py BASE_URL TRAIN.csv OUT_DIR
Fits asynchronously over WPS 1.0.0, polls, forecasts, downloads the GeoTIFF by reference, and
fetches a WMS 1.3.0 GetMap of the published layer. Prints KEY=VALUE lines the JUnit test checks.
"""
import sys
import time

from owslib.wps import WebProcessingService, ComplexDataInput
from owslib.wms import WebMapService

base, train, out = sys.argv[1], sys.argv[2], sys.argv[3]
wps = WebProcessingService(base + "/wps", version="1.0.0")
print("PROCESSES=" + ",".join(p.identifier for p in wps.processes))
desc = wps.describeprocess("bayesnf:Forecast")
print("FORECAST_INPUTS=" + ",".join(i.identifier for i in desc.dataInputs))


def run(identifier, inputs, output):
    ex = wps.execute(identifier, inputs, output=output, mode=1)  # 1 = ASYNC
    seen = set()
    while not ex.isComplete():
        ex.checkStatus(sleepSecs=0.5)
        seen.add(ex.percentCompleted)
    if not ex.isSucceded():
        print("FAILED=" + identifier + ":" + ";".join(str(e.text) for e in ex.errors))
        sys.exit(1)
    return ex, seen


with open(train) as f:
    csv = f.read()
fit, progress = run("bayesnf:Fit", [("data", ComplexDataInput(csv, mimeType="text/csv")), ("target", "wind"),
                                    ("time", "datetime"), ("freq", "D"), ("features", "longitude,latitude"),
                                    ("standardize", "longitude,latitude"), ("width", "8"), ("ensemble", "2"),
                                    ("epochs", "200")],
                    [("model", False, None), ("report", True, "application/json")])
model = [o for o in fit.processOutputs if o.identifier == "model"][0].data[0]
print("MODEL=" + model)
print("FIT_PROGRESS=" + ",".join(str(p) for p in sorted(progress)))
_, echo_progress = run("echo", [("value", "x"), ("pause", "3")], [("value", False, None)])
print("ECHO_PROGRESS=" + ",".join(str(p) for p in sorted(echo_progress)))
fc, _ = run("bayesnf:Forecast", [("model", model), ("outputWidth", "40"), ("outputHeight", "32"),
                                 ("time", "1979-01-01"), ("time", "1979-01-02")],
            [("result", True, "image/tiff"), ("layer", False, None)])
for o in fc.processOutputs:
    if o.identifier == "result":
        print("TIFF_URL=" + o.reference)
        fc.getOutput(out + "/forecast.tif", identifier="result")
    if o.identifier == "layer":
        layer = o.data[0]
        print("LAYER=" + layer)
wms = WebMapService(base + "/wms", version="1.3.0")
print("WMS_LAYERS=" + ",".join(wms.contents))
bb = wms[layer].boundingBoxWGS84
img = wms.getmap(layers=[layer], styles=["uncertainty"], srs="EPSG:4326", bbox=(bb[1], bb[0], bb[3], bb[2]),
                 size=(128, 128), format="image/png", transparent=True, time="1979-01-02")
data = img.read()
with open(out + "/map.png", "wb") as f:
    f.write(data)
print("PNG_BYTES=" + str(len(data)))
print("PNG_MAGIC=" + data[:8].hex())
