// zlib's inflate, for the DEFLATE entries of a ZIP archive (the Health app's export.zip).
#include <zlib.h>
