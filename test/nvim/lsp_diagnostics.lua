-- Neovim (0.7+) as an LSP client of `aep-dest lsp --stdio`, headless:
--
--   AEP_NVIM_CMD='["node","dist/cli/aep-dest.js","lsp","--stdio"]' \
--   AEP_NVIM_FILE=/tmp/x/broken.destination.jsonc AEP_NVIM_OUT=/tmp/x/out.json \
--   AEP_NVIM_SETTINGS='{"disabledRules":["batch-only-audience"]}' \
--   nvim --headless --clean -u NONE -i NONE -n -c 'luafile test/nvim/lsp_diagnostics.lua'
--
-- Starts the server with vim.lsp.start_client (0.7 has no vim.lsp.start), AEP_NVIM_SETTINGS
-- (optional) as its settings, section aepDestination; attaches it to the file's buffer,
-- waits for the published diagnostics (vim.diagnostic.get), asks for a hover and a
-- completion, stops the server, and writes what Neovim saw to AEP_NVIM_OUT as JSON. Exits 0 when everything was collected, 1 (with "error" in the JSON) otherwise.
-- test/unit/neovim.test.ts runs it and compares with `aep-dest validate --format json`.

local timeout = tonumber(os.getenv('AEP_NVIM_TIMEOUT_MS') or '') or 20000
local out = os.getenv('AEP_NVIM_OUT')
local report = { nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch }

local function write_report()
  vim.fn.writefile({ vim.fn.json_encode(report) }, out)
end

local function position_of(bufnr, needle, delta)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s = line:find(needle, 1, true)
    if s then
      return { line = i - 1, character = s - 1 + delta }
    end
  end
  error('not in the buffer: ' .. needle)
end

local function run()
  assert(out and out ~= '', 'AEP_NVIM_OUT is not set')
  local cmd_json = os.getenv('AEP_NVIM_CMD')
  assert(cmd_json and cmd_json ~= '', 'AEP_NVIM_CMD is not set')
  local cmd = vim.fn.json_decode(cmd_json)
  local file = os.getenv('AEP_NVIM_FILE')
  assert(file and file ~= '', 'AEP_NVIM_FILE is not set')
  local settings_json = os.getenv('AEP_NVIM_SETTINGS')
  local settings = vim.empty_dict()
  if settings_json and settings_json ~= '' then
    settings = vim.fn.json_decode(settings_json)
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = 'aep-dest',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ':h'),
    -- With -u NONE there is no filetype detection: name the language explicitly.
    get_language_id = function()
      return 'aep-destination'
    end,
    -- 0.7 answers workspace/configuration from `settings` but does not announce it.
    capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), {
      workspace = { configuration = true },
    }),
    settings = { aepDestination = settings },
    on_exit = function(code, signal)
      report.server_exit = { code = code, signal = signal }
    end,
  })
  assert(client_id, 'vim.lsp.start_client failed')
  assert(vim.lsp.buf_attach_client(bufnr, client_id), 'vim.lsp.buf_attach_client failed')
  local client = vim.lsp.get_client_by_id(client_id)

  local initialized = vim.wait(timeout, function()
    return client.initialized == true
  end, 20)
  assert(initialized, 'the server did not initialize within ' .. timeout .. ' ms')
  local caps = client.server_capabilities or {}
  report.capabilities = {
    hover = caps.hoverProvider == true,
    completion = caps.completionProvider ~= nil,
    code_action = caps.codeActionProvider ~= nil,
    formatting = caps.documentFormattingProvider == true,
  }

  local got = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 20)
  assert(got, 'no diagnostics within ' .. timeout .. ' ms')
  -- One validation per document version: give a late second publish a moment anyway.
  vim.wait(200)

  report.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(report.diagnostics, {
      code = d.code,
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
    })
  end

  local uri = vim.uri_from_bufnr(bufnr)
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = position_of(bufnr, '"syncType"', 3),
  }, timeout)
  local hover_result = hover and hover[client_id] and hover[client_id].result
  report.hover_kind = hover_result and hover_result.contents and hover_result.contents.kind or vim.NIL

  local completion = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = position_of(bufnr, '"audienceOnly"', 1),
  }, timeout)
  local list = completion and completion[client_id] and completion[client_id].result
  report.completion_labels = {}
  for _, item in ipairs(list and (list.items or list) or {}) do
    table.insert(report.completion_labels, item.label)
  end

  -- shutdown + exit, then wait for the process to end.
  client.stop()
  local stopped = vim.wait(timeout, function()
    return report.server_exit ~= nil
  end, 20)
  assert(stopped, 'the server did not exit within ' .. timeout .. ' ms of shutdown')
end

local ok, err = pcall(run)
if not ok then
  report.error = tostring(err)
end
pcall(write_report)
if ok then
  vim.cmd('qa!')
else
  vim.cmd('cquit 1')
end
