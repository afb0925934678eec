#!/usr/bin/env bash
# Build a snapshot release with goreleaser (pinned in tools/go.mod, run with `go tool`), with
# signing and publishing skipped, and check that it is what the Terraform
# Registry expects: a zip per OS and architecture holding the provider binary,
# SHA256SUMS listing every zip and the registry manifest, named
# terraform-provider-ezitxt_<version>_manifest.json, with protocol 6.0.
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser=(go tool -modfile=tools/go.mod goreleaser)
"${goreleaser[@]}" check
"${goreleaser[@]}" release --snapshot --clean --skip=sign,publish --parallelism 2

# zip_list prints the names in a zip, one per line.
zip_list() {
	if command -v unzip >/dev/null; then unzip -Z1 "$1"; else python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; fi
}

sums="$(ls dist/*_SHA256SUMS)"
version="$(basename "$sums" | sed -E 's/^terraform-provider-ezitxt_(.*)_SHA256SUMS$/\1/')"
echo "snapshot version $version"
fail=0
for os in linux darwin windows; do
	for arch in amd64 arm64; do
		zip="terraform-provider-ezitxt_${version}_${os}_${arch}.zip"
		if [ ! -f "dist/$zip" ]; then echo "missing dist/$zip"; fail=1; continue; fi
		grep -q "  $zip\$" "$sums" || { echo "$zip not in $(basename "$sums")"; fail=1; }
		bin="terraform-provider-ezitxt_v${version}"
		[ "$os" = windows ] && bin="$bin.exe"
		zip_list "dist/$zip" | grep -x "$bin" >/dev/null || { echo "$zip does not hold $bin"; fail=1; }
		echo "ok $zip"
	done
done
manifest="terraform-provider-ezitxt_${version}_manifest.json"
want="$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)"
grep -q "^$want  $manifest\$" "$sums" || { echo "$(basename "$sums") does not list $manifest with the manifest's checksum"; fail=1; }
grep -q '"protocol_versions": \["6.0"\]' terraform-registry-manifest.json || { echo "manifest does not declare protocol 6.0"; fail=1; }
[ "$fail" = 0 ] && echo "release snapshot ok: 6 zips, $(basename "$sums"), $manifest"
exit $fail
