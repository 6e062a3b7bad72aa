package web

// SafeBackForTest exposes safeBack to the external tests.
var SafeBackForTest = safeBack
