// Runs before every test file of every package (jest.preset.js `setupFiles`).
// RPC servers answer INTERNAL, instead of the code, when a handler answers an error code its
// subject does not declare in @dg/contracts' RpcErrorCodes: tests catch an undeclared code.
process.env.RPC_STRICT_ERROR_CODES = '1';
