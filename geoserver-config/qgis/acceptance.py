#!/usr/bin/env python3
"""QGIS acceptance check of a running BayesNF service (or any WMS 1.3.0 + WPS 1.0.0 server with a
bayesnf:Forecast process).

What it checks, with Debian's python3-qgis (headless, QT_QPA_PLATFORM=offscreen):

1. WMS: finds a forecast layer (a layer with a TIME dimension of at least two values) in the
   capabilities, adds it as a QgsRasterLayer through QGIS's "wms" provider with its TIME dimension,
   checks it is valid, renders PNGs for two different times (QgsMapSettings +
   QgsMapRendererParallelJob), checks they are not blank and differ, and writes them as screenshots
   (style "mean"; style "uncertainty" too when the layer offers it).
2. WPS: runs bayesnf:Forecast synchronously with the output as a reference (the QGIS WPS Client
   plugin's request shape), downloads the GeoTIFF, loads it with GDAL as a QgsRasterLayer and
   checks extent, CRS and band count.

Usage:
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 acceptance.py --url http://localhost:8095 \
        [--out DIR] [--model MODEL_ID]

Exit status 0 when every check passed; each check prints PASS or FAIL.
"""
import argparse
import os
import sys
import tempfile
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import json

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (after the platform is set)
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsDateTimeRange,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QDateTime, QSize, Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

WMS = "{http://www.opengis.net/wms}"
WPS = "{http://www.opengis.net/wps/1.0.0}"
OWS = "{http://www.opengis.net/ows/1.1}"
XLINK = "{http://www.w3.org/1999/xlink}"

failures = []


def check(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name + (": " + detail if detail else ""), flush=True)
    if not ok:
        failures.append(name)
    return ok


def http_get(url):
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read()


def http_post(url, body, content_type="text/xml"):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.read()


def find_forecast_layer(base):
    caps = ET.fromstring(http_get(base + "/wms?service=WMS&request=GetCapabilities&version=1.3.0"))
    for layer in caps.iter(WMS + "Layer"):
        name = layer.findtext(WMS + "Name")
        dim = next((d for d in layer.findall(WMS + "Dimension") if d.get("name", "").lower() == "time"), None)
        if not name or dim is None or not (dim.text or "").strip():
            continue
        times = [t.strip() for t in dim.text.split(",") if t.strip()]
        if len(times) < 2:
            continue
        bbox = layer.find(WMS + "EX_GeographicBoundingBox")
        extent = [float(bbox.findtext(WMS + k)) for k in
                  ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")]
        styles = [s.findtext(WMS + "Name") for s in layer.findall(WMS + "Style")]
        return name, times, extent, styles
    return None


def render(layer, extent, time, path, size=(512, 512)):
    settings = QgsMapSettings()
    # The map's temporal range is what makes QGIS's WMS-T provider send TIME (allowTemporalUpdates);
    # QGIS 3.22 crashes rendering such a layer in a map without a temporal range.
    t = QDateTime.fromString(time if "T" in time else time + "T00:00:00Z", Qt.ISODate)
    settings.setIsTemporal(True)
    settings.setTemporalRange(QgsDateTimeRange(t, t))
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    settings.setExtent(QgsRectangle(*extent))
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(path, "PNG")
    return image


def colours(image, step=4):
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return seen


def differing_pixels(a, b, step=2):
    n = 0
    for y in range(0, a.height(), step):
        for x in range(0, a.width(), step):
            if a.pixel(x, y) != b.pixel(x, y):
                n += 1
    return n


def wms_checks(base, out):
    found = find_forecast_layer(base)
    if not check("WMS capabilities list a forecast layer with a TIME dimension", found is not None):
        return None
    name, times, extent, styles = found
    print("     layer %s, %d times (%s .. %s), styles %s" % (name, len(times), times[0], times[-1], styles))
    shots = []
    for style in [s for s in ("mean", "uncertainty") if s in styles] or [""]:
        images = []
        for t in (times[0], times[-1]):
            uri = ("crs=EPSG:4326&format=image/png&layers=%s&styles=%s"
                   "&url=%s/wms&allowTemporalUpdates=true&temporalSource=provider&type=wmst"
                   "&timeDimensionExtent=%s&time=%s") % (name, style, base, ",".join(times), t)
            layer = QgsRasterLayer(uri, "%s %s %s" % (name, style, t), "wms")
            if not check("QgsRasterLayer (wms provider) %s style=%s TIME=%s is valid" % (name, style or "default", t),
                         layer.isValid(), layer.error().summary() if not layer.isValid() else ""):
                return None
            tprops = layer.temporalProperties()
            check("layer %s reports temporal capabilities" % style,
                  tprops is not None and tprops.isActive() if hasattr(tprops, "isActive") else True)
            path = os.path.join(out, "forecast-%s-%s.png" % (style or "default", t.replace(":", "")))
            image = render(layer, extent, t, path)
            n = len(colours(image))
            check("render %s at %s is not blank" % (style or "default", t), n > 8, "%d distinct colours" % n)
            images.append((path, image))
        diff = differing_pixels(images[0][1], images[1][1])
        check("renders at %s and %s differ (%s)" % (times[0], times[-1], style or "default"), diff > 100,
              "%d of %d sampled pixels differ" % (diff, (512 // 2) ** 2))
        shots.append(images[1][0])
    return name, times, extent, shots


def latest_model(base):
    jobs = json.loads(http_get(base + "/ogcapi/jobs"))
    for j in jobs.get("jobs", []):
        if j.get("processID") == "bayesnf:Fit" and j.get("status") == "successful":
            res = json.loads(http_get(base + "/ogcapi/jobs/%s/results" % j["jobID"]))
            m = res.get("model")
            return m if isinstance(m, str) else (m or {}).get("value")
    return None


EXECUTE = """<?xml version="1.0" encoding="UTF-8"?>
<wps:Execute service="WPS" version="1.0.0" xmlns:wps="http://www.opengis.net/wps/1.0.0"
    xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink">
  <ows:Identifier>bayesnf:Forecast</ows:Identifier>
  <wps:DataInputs>
    <wps:Input><ows:Identifier>model</ows:Identifier><wps:Data><wps:LiteralData>{model}</wps:LiteralData></wps:Data></wps:Input>
    <wps:Input><ows:Identifier>outputBBOX</ows:Identifier><wps:Data>
      <wps:BoundingBoxData crs="EPSG:4326" dimensions="2"><ows:LowerCorner>{w} {s}</ows:LowerCorner><ows:UpperCorner>{e} {n}</ows:UpperCorner></wps:BoundingBoxData>
    </wps:Data></wps:Input>
    <wps:Input><ows:Identifier>outputWidth</ows:Identifier><wps:Data><wps:LiteralData>{width}</wps:LiteralData></wps:Data></wps:Input>
    <wps:Input><ows:Identifier>outputHeight</ows:Identifier><wps:Data><wps:LiteralData>{height}</wps:LiteralData></wps:Data></wps:Input>
    <wps:Input><ows:Identifier>time</ows:Identifier><wps:Data><wps:LiteralData>{t0}</wps:LiteralData></wps:Data></wps:Input>
    <wps:Input><ows:Identifier>time</ows:Identifier><wps:Data><wps:LiteralData>{t1}</wps:LiteralData></wps:Data></wps:Input>
  </wps:DataInputs>
  <wps:ResponseForm>
    <wps:ResponseDocument lineage="false" storeExecuteResponse="false" status="false">
      <wps:Output asReference="true" mimeType="image/tiff"><ows:Identifier>result</ows:Identifier></wps:Output>
    </wps:ResponseDocument>
  </wps:ResponseForm>
</wps:Execute>
"""


def wps_checks(base, out, model, times, extent):
    if model is None:
        model = latest_model(base)
    if not check("a fitted model to forecast with", model is not None, str(model)):
        return
    w, s, e, n = extent
    width, height = 60, 40
    body = EXECUTE.format(model=model, w=w, s=s, e=e, n=n, width=width, height=height, t0=times[0], t1=times[1])
    doc = ET.fromstring(http_post(base + "/wps", body.encode("utf-8")))
    ok = doc.find(".//" + WPS + "ProcessSucceeded") is not None
    if not check("WPS Execute bayesnf:Forecast (synchronous, asReference=true) succeeded", ok,
                 "" if ok else ET.tostring(doc, encoding="unicode")[:400]):
        return
    ref = doc.find(".//" + WPS + "Reference")
    href = ref.get("href") or ref.get(XLINK + "href")
    check("result is a Reference with mimeType image/tiff", ref.get("mimeType") == "image/tiff", href)
    path = os.path.join(out, "forecast.tif")
    with open(path, "wb") as f:
        f.write(http_get(href))
    layer = QgsRasterLayer(path, "forecast GeoTIFF", "gdal")
    check("GeoTIFF loads as a valid GDAL raster layer", layer.isValid())
    got = layer.extent()
    tol = 1e-6
    check("GeoTIFF extent is the requested bbox",
          abs(got.xMinimum() - w) < tol and abs(got.yMinimum() - s) < tol and abs(got.xMaximum() - e) < tol
          and abs(got.yMaximum() - n) < tol, got.toString())
    check("GeoTIFF CRS is EPSG:4326", layer.crs().authid() == "EPSG:4326", layer.crs().authid())
    check("GeoTIFF size is %dx%d" % (width, height), (layer.width(), layer.height()) == (width, height),
          "%dx%d" % (layer.width(), layer.height()))
    # 2 times x (mean + 3 default quantiles)
    check("GeoTIFF has 8 bands (2 times x mean + 3 quantiles)", layer.bandCount() == 8, str(layer.bandCount()))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://localhost:8095", help="service base URL (…/wms and …/wps below it)")
    p.add_argument("--out", default=None, help="folder for screenshots and the downloaded GeoTIFF")
    p.add_argument("--model", default=None, help="model id for the WPS check (default: latest successful Fit)")
    a = p.parse_args()
    base = a.url.rstrip("/")
    out = a.out or tempfile.mkdtemp(prefix="bayesnf-qgis-")
    os.makedirs(out, exist_ok=True)
    QgsApplication.setPrefixPath("/usr", True)  # Debian's prefix; without it rendering crashes
    app = QgsApplication([], True)  # GUI mode (offscreen platform): map rendering needs QGuiApplication
    app.initQgis()
    try:
        print("QGIS", __import__("qgis.core", fromlist=["Qgis"]).Qgis.QGIS_VERSION, "against", base, "->", out)
        found = wms_checks(base, out)
        if found:
            name, times, extent, shots = found
            print("     screenshots:", ", ".join(shots))
            wps_checks(base, out, a.model, times, extent)
    finally:
        app.exitQgis()
    print("%d check(s) failed" % len(failures) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
