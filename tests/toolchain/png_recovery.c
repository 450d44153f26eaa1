/* libpng error recovery: png_error longjmps through libpng's stored longjmp pointer (png_jmpbuf) back to the
 * caller; afterwards the same instance decodes a valid image. The input is a small gradient encoded here, then
 * cut short in its header and in its image data. Returns 0 when every case holds, else the first failing case. */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

#include "check_export.h"

enum { WIDTH = 64, HEIGHT = 48 };

struct bytes {
  unsigned char *data;
  size_t size, read_at;
};

static void append(png_structp png, png_bytep data, size_t length) {
  struct bytes *out = png_get_io_ptr(png);
  out->data = realloc(out->data, out->size + length);
  memcpy(out->data + out->size, data, length);
  out->size += length;
}

static void flush_nothing(png_structp png) { (void)png; }

static void take(png_structp png, png_bytep data, size_t length) {
  struct bytes *in = png_get_io_ptr(png);
  if (in->size - in->read_at < length) png_error(png, "truncated");
  memcpy(data, in->data + in->read_at, length);
  in->read_at += length;
}

static void quiet_error(png_structp png, png_const_charp message) {
  (void)message;
  png_longjmp(png, 1);
}

static void quiet_warning(png_structp png, png_const_charp message) { (void)png, (void)message; }

static struct bytes encode_gradient(void) {
  struct bytes out = {NULL, 0, 0};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, quiet_error, quiet_warning);
  png_infop info = png_create_info_struct(png);
  png_byte row[WIDTH * 3];
  png_set_write_fn(png, &out, append, flush_nothing);
  png_set_IHDR(png, info, WIDTH, HEIGHT, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < HEIGHT; y++) {
    for (int x = 0; x < WIDTH; x++) {
      row[3 * x] = (png_byte)(x * 4);
      row[3 * x + 1] = (png_byte)(y * 5);
      row[3 * x + 2] = 128;
    }
    png_write_row(png, row);
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

/* Returns 1 and the green value of the centre pixel when the image decodes, 0 when libpng reported an error. */
static int decode(struct bytes png_file, size_t size, int *centre_green) {
  struct bytes in = {png_file.data, size, 0};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, quiet_error, quiet_warning);
  png_infop info = png_create_info_struct(png);
  png_bytep volatile row = NULL; /* volatile: set after setjmp, freed after the longjmp */
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    free(row);
    return 0;
  }
  png_set_read_fn(png, &in, take);
  png_read_info(png, info);
  row = malloc(png_get_rowbytes(png, info));
  for (png_uint_32 y = 0; y < png_get_image_height(png, info); y++) {
    png_read_row(png, row, NULL);
    if (y == HEIGHT / 2) *centre_green = row[(WIDTH / 2) * 3 + 1];
  }
  png_read_end(png, NULL);
  png_destroy_read_struct(&png, &info, NULL);
  free(row);
  return 1;
}

EXPORT("png_recovery") int png_recovery(void) {
  struct bytes file = encode_gradient();
  int green = -1, green_again = -1, unused;
  int failed = 0;
  if (!decode(file, file.size, &green) || green != (HEIGHT / 2) * 5) failed = 1;
  else if (decode(file, 30, &unused)) failed = 2;                /* cut inside IHDR */
  else if (decode(file, file.size - 40, &unused)) failed = 3;    /* cut inside IDAT */
  else if (!decode(file, file.size, &green_again) || green_again != green) failed = 4;
  free(file.data);
  return failed;
}

#ifndef __wasm__
int main(void) { return png_recovery(); }
#endif
