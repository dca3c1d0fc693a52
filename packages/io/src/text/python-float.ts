// Python's float text for the writers: the formatting itself lives with the kernels (casts to text use it too).
export { formatPythonFloat, formatPythonFloat32 } from "@tessera/kernels";
