#!/usr/bin/python3
# The GDAL side of the raster suite, one job per process (Debian's python3-gdal, the library gdalwarp and
# gdal_rasterize run on): a 4x regrid as gdalwarp does it (-ovr NONE -et 0, into memory), or zonal statistics as
# rasterstats computes them with gdal_rasterize (per zone: read its window, burn the zone, reduce the valid pixels).
# Prints one JSON line: milliseconds of the job, this process's peak RSS and the bytes it read (/proc/self/io rchar).
import argparse
import json
import resource
import sys
import time


def rchar():
    with open("/proc/self/io") as f:
        for line in f:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    return 0


def regrid(gdal, args):
    src = gdal.Open(args.src)
    gt = src.GetGeoTransform()
    w, h = src.RasterXSize, src.RasterYSize
    bounds = (gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3])
    opts = gdal.WarpOptions(format="MEM", outputBounds=bounds, width=w // 4, height=h // 4,
                            resampleAlg="average" if args.job == "regrid-average" else "near",
                            multithread=args.threads > 1, warpOptions=["NUM_THREADS=%d" % args.threads],
                            options=["-ovr", "NONE", "-et", "0"])
    out = gdal.Warp("", src, options=opts)
    return out


def zonal(gdal, ogr, np, args):
    src = gdal.Open(args.src)
    band = src.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    gt = src.GetGeoTransform()
    vec = ogr.Open(args.zones)
    layer = vec.GetLayer(0)
    mem_drv = gdal.GetDriverByName("MEM")
    rows = []
    # The zones' ids and boxes first: filtering the layer while iterating it would restart the iteration.
    zones = [(f.GetField("id"), f.GetGeometryRef().GetEnvelope()) for f in layer]
    for zid, (minx, maxx, miny, maxy) in zones:
        x0 = max(0, int((minx - gt[0]) / gt[1]))
        x1 = min(src.RasterXSize, int((maxx - gt[0]) / gt[1]) + 1)
        y0 = max(0, int((maxy - gt[3]) / gt[5]))
        y1 = min(src.RasterYSize, int((miny - gt[3]) / gt[5]) + 1)
        values = band.ReadAsArray(x0, y0, x1 - x0, y1 - y0)
        mask_ds = mem_drv.Create("", x1 - x0, y1 - y0, 1, gdal.GDT_Byte)
        mask_ds.SetGeoTransform((gt[0] + x0 * gt[1], gt[1], 0, gt[3] + y0 * gt[5], 0, gt[5]))
        mask_ds.SetProjection(src.GetProjection())
        layer.SetAttributeFilter("id = %d" % zid)
        gdal.RasterizeLayer(mask_ds, [1], layer, burn_values=[1])
        layer.SetAttributeFilter(None)
        inside = mask_ds.GetRasterBand(1).ReadAsArray() == 1
        if nodata is not None:
            inside &= values != nodata
        v = values[inside].astype(np.float64)
        n = int(v.size)
        rows.append({"zone": zid, "count": n, "sum": float(v.sum()) if n else None, "mean": float(v.mean()) if n else None,
                     "min": float(v.min()) if n else None, "max": float(v.max()) if n else None})
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--job", required=True, choices=["regrid-average", "regrid-nearest", "zonal"])
    p.add_argument("--src", required=True)
    p.add_argument("--zones")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    try:
        from osgeo import gdal, ogr
        import numpy as np
    except ImportError as e:
        print(json.dumps({"available": False, "error": "python3-gdal or numpy missing: %s" % e}))
        return
    gdal.UseExceptions()
    ogr.UseExceptions()
    before = rchar()
    t0 = time.perf_counter()
    if args.job == "zonal":
        result = zonal(gdal, ogr, np, args)
    else:
        result = regrid(gdal, args)
    ms = (time.perf_counter() - t0) * 1000
    read = rchar() - before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    # The answer, outside the timed part: the regridded band as raw float32, or the zonal rows as JSON.
    if args.job == "zonal":
        with open(args.out, "w") as f:
            json.dump(result, f)
    else:
        arr = result.GetRasterBand(1).ReadAsArray().astype(np.float32)
        with open(args.out, "wb") as f:
            f.write(arr.tobytes())
    print(json.dumps({"available": True, "ms": ms, "peakRss": peak, "bytesRead": read, "version": "GDAL %s (Python %s)" % (gdal.__version__, sys.version.split()[0])}))


if __name__ == "__main__":
    main()
