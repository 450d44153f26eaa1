/* libjpeg error recovery: libjpeg reports errors through our error_exit, which longjmps back to the caller;
 * afterwards the same instance decodes a valid image. The inputs are made here: a small gradient encoded in
 * memory, then cut short in its header (an error) and in its scan data (a warning, which we make fatal, as a
 * strict decoder does). Returns 0 when every case holds, else the number of the first case that failed. */
#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

#include "check_export.h"

enum { WIDTH = 64, HEIGHT = 48 };

struct error_trap {
  struct jpeg_error_mgr manager; /* first, so libjpeg's err pointer is also ours */
  jmp_buf escape;
};

static void longjmp_on_error(j_common_ptr codec) {
  longjmp(((struct error_trap *)codec->err)->escape, 1);
}

static void longjmp_on_warning(j_common_ptr codec, int level) {
  if (level < 0) longjmp_on_error(codec); /* -1: corrupt or truncated data */
}

static void ignore_message(j_common_ptr codec) { (void)codec; }

/* No snprintf: in wasi-libc any printf-family call links stderr, and with it fd_close/fd_seek imports. */
static void format_code(j_common_ptr codec, char *buffer) {
  (void)codec;
  strcpy(buffer, "libjpeg error");
}

static void reset_counts(j_common_ptr codec) {
  codec->err->num_warnings = 0;
  codec->err->msg_code = 0;
}

/* Every handler set here rather than by jpeg_std_error(): that one installs a printer to stderr, which pulls
 * stdio (and its fd_close/fd_seek/fd_write imports) into a wasm module even when we replace it afterwards.
 * The messages themselves stay available: jpeg_std_message_table does not pull the printer in. */
static struct jpeg_error_mgr *trap_errors(struct error_trap *trap) {
  memset(&trap->manager, 0, sizeof trap->manager);
  trap->manager.error_exit = longjmp_on_error;
  trap->manager.emit_message = longjmp_on_warning;
  trap->manager.output_message = ignore_message;
  trap->manager.format_message = format_code;
  trap->manager.reset_error_mgr = reset_counts;
  return &trap->manager;
}

static unsigned char *encode_gradient(unsigned long *size) {
  struct jpeg_compress_struct encoder;
  struct error_trap trap; /* encoding our own pixels does not fail; a longjmp here would mean a broken build */
  unsigned char *jpeg = NULL;
  JSAMPLE row[WIDTH * 3];
  JSAMPROW rows[1] = {row};
  encoder.err = trap_errors(&trap);
  if (setjmp(trap.escape)) abort();
  jpeg_create_compress(&encoder);
  jpeg_mem_dest(&encoder, &jpeg, size);
  encoder.image_width = WIDTH;
  encoder.image_height = HEIGHT;
  encoder.input_components = 3;
  encoder.in_color_space = JCS_RGB;
  jpeg_set_defaults(&encoder);
  jpeg_set_quality(&encoder, 90, TRUE);
  jpeg_start_compress(&encoder, TRUE);
  while (encoder.next_scanline < HEIGHT) {
    for (int x = 0; x < WIDTH; x++) {
      row[3 * x] = (JSAMPLE)(x * 4);
      row[3 * x + 1] = (JSAMPLE)(encoder.next_scanline * 5);
      row[3 * x + 2] = 128;
    }
    jpeg_write_scanlines(&encoder, rows, 1);
  }
  jpeg_finish_compress(&encoder);
  jpeg_destroy_compress(&encoder);
  return jpeg;
}

/* Returns 1 and the green value of the centre pixel when the image decodes, 0 when libjpeg reported an error. */
static int decode(const unsigned char *jpeg, unsigned long size, int *centre_green) {
  struct jpeg_decompress_struct decoder;
  struct error_trap trap;
  JSAMPLE *volatile row = NULL; /* volatile: set after setjmp, freed after the longjmp */
  decoder.err = trap_errors(&trap);
  if (setjmp(trap.escape)) {
    jpeg_destroy_decompress(&decoder);
    free(row);
    return 0;
  }
  jpeg_create_decompress(&decoder);
  jpeg_mem_src(&decoder, jpeg, size);
  jpeg_read_header(&decoder, TRUE);
  jpeg_start_decompress(&decoder);
  row = malloc(decoder.output_width * decoder.output_components);
  while (decoder.output_scanline < decoder.output_height) {
    JSAMPROW rows[1] = {row};
    jpeg_read_scanlines(&decoder, rows, 1);
    if (decoder.output_scanline == HEIGHT / 2 + 1) *centre_green = row[(WIDTH / 2) * 3 + 1];
  }
  jpeg_finish_decompress(&decoder);
  jpeg_destroy_decompress(&decoder);
  free(row);
  return 1;
}

EXPORT("jpeg_recovery") int jpeg_recovery(void) {
  unsigned long size = 0;
  unsigned char *jpeg = encode_gradient(&size);
  int green = -1, green_again = -1, unused;
  int failed = 0;
  if (!decode(jpeg, size, &green) || green < (HEIGHT / 2) * 5 - 8 || green > (HEIGHT / 2) * 5 + 8) failed = 1;
  else if (decode(jpeg, 20, &unused)) failed = 2;             /* header cut: error_exit */
  else if (decode(jpeg, size * 2 / 3, &unused)) failed = 3;   /* scan cut: fatal warning deep in the decoder */
  else if (!decode(jpeg, size, &green_again) || green_again != green) failed = 4;
  free(jpeg);
  return failed;
}

#ifndef __wasm__
int main(void) { return jpeg_recovery(); }
#endif
