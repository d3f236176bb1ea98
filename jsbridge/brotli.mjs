// Writes a brotli copy (<file>.br) of each file named on the command line,
// at quality 11 with a 16 MiB window, as the brotli command-line tool's
// defaults are, using Node's own zlib so the build needs no brotli binary.
//
// Usage: node jsbridge/brotli.mjs <file>...
//        node jsbridge/brotli.mjs --stdout <file>   (to standard output)
import { readFileSync, writeFileSync } from 'node:fs'
import { brotliCompressSync, constants } from 'node:zlib'

const compress = (data) => brotliCompressSync(data, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 11,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
  },
})

const args = process.argv.slice(2)
if (args[0] === '--stdout') {
  process.stdout.write(compress(readFileSync(args[1])))
} else {
  for (const file of args) writeFileSync(file + '.br', compress(readFileSync(file)))
}
