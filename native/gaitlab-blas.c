/*
 * GaitLab's optional native tier: single-precision matrix products from the system OpenBLAS, run in place on
 * the memory of the tfjs wasm backend (a WebAssembly.Memory's ArrayBuffer), so tensors are neither copied in nor
 * out. N-API only (no node-addon-api, no node-gyp): scripts/build-native-blas.mjs compiles it with the system C
 * compiler where OpenBLAS and Node's headers are installed; everywhere else GaitLab runs on the portable wasm tier.
 */
#include <node_api.h>
#include <cblas.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define CHECK(call)                                                          \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error(env, NULL, "gaitlab-blas: N-API call failed: " #call); \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

static bool get_i64(napi_env env, napi_value v, int64_t* out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

/*
 * sgemm(memory: ArrayBuffer, transA, transB, M, N, K, aOffset, lda, bOffset, ldb, cOffset, ldc, beta)
 * C = op(A)·op(B) + beta·C, row-major, offsets in bytes, leading dimensions in elements. Every matrix must lie
 * inside the buffer; that is checked here, as a bad offset would otherwise write anywhere in the process.
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 13) {
    napi_throw_type_error(env, NULL, "gaitlab-blas: sgemm takes 13 arguments");
    return NULL;
  }
  void* data = NULL;
  size_t length = 0;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "gaitlab-blas: the first argument must be an ArrayBuffer");
    return NULL;
  }
  bool transA = false, transB = false;
  CHECK(napi_get_value_bool(env, argv[1], &transA));
  CHECK(napi_get_value_bool(env, argv[2], &transB));
  int64_t v[9];
  for (int i = 0; i < 9; i++) {
    if (!get_i64(env, argv[3 + i], &v[i]) || v[i] < 0) {
      napi_throw_range_error(env, NULL, "gaitlab-blas: sizes, offsets and strides must be non-negative integers");
      return NULL;
    }
  }
  double beta = 0;
  CHECK(napi_get_value_double(env, argv[12], &beta));
  const int64_t M = v[0], N = v[1], K = v[2];
  const int64_t aOff = v[3], lda = v[4], bOff = v[5], ldb = v[6], cOff = v[7], ldc = v[8];
  const int64_t aRows = transA ? K : M, aCols = transA ? M : K;
  const int64_t bRows = transB ? N : K, bCols = transB ? K : N;
  if (lda < (aCols > 0 ? aCols : 1) || ldb < (bCols > 0 ? bCols : 1) || ldc < (N > 0 ? N : 1)) {
    napi_throw_range_error(env, NULL, "gaitlab-blas: a leading dimension is smaller than its row");
    return NULL;
  }
  const int64_t aEnd = aOff + 4 * ((aRows > 0 ? aRows - 1 : 0) * lda + aCols);
  const int64_t bEnd = bOff + 4 * ((bRows > 0 ? bRows - 1 : 0) * ldb + bCols);
  const int64_t cEnd = cOff + 4 * ((M > 0 ? M - 1 : 0) * ldc + N);
  if (aEnd > (int64_t)length || bEnd > (int64_t)length || cEnd > (int64_t)length || (aOff | bOff | cOff) & 3) {
    napi_throw_range_error(env, NULL, "gaitlab-blas: a matrix lies outside the buffer or is not 4-byte aligned");
    return NULL;
  }
  if (M > 0 && N > 0) {
    char* base = (char*)data;
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)M, (int)N,
                (int)K, 1.0f, (const float*)(base + aOff), (int)lda, (const float*)(base + bOff), (int)ldb, (float)beta,
                (float*)(base + cOff), (int)ldc);
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t n = 1;
  if (argc != 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) {
    napi_throw_range_error(env, NULL, "gaitlab-blas: setThreads takes a positive integer");
    return NULL;
  }
  openblas_set_num_threads(n);
  return NULL;
}

static napi_value describe(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  const char* config = openblas_get_config();
  CHECK(napi_create_string_utf8(env, config ? config : "OpenBLAS", NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
    {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
    {"describe", NULL, describe, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
