"""The seed builder: Magetan's aid-package libraries, their manifests and the example manifests.

An independent oracle for the project's ingest: it imports nothing from `kernel/`, `services/`,
`pustaka/` or `search/` (it writes the data those are tested against). Run `python seeds/build_seeds.py`
or `python -m seeds.builder`; `main.py` is the order of the steps.
"""
