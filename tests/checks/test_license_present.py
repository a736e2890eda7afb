from pathlib import Path

import pytest
from harness import Symlink

from scorecard.model import Location, Status

MIT = """MIT License

Copyright (c) 2024 Example Corp

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
"""
MIT_0 = MIT.replace(
    "The above copyright notice and this permission notice shall be included "
    "in all\ncopies or substantial portions of the Software.\n",
    "",
)
APACHE = """
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION
"""
APACHE_NOTICE = """Copyright 2024 Example
Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
"""
BSD_HEAD = """BSD {n}-Clause License

Copyright (c) 2024, Example
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.
"""
BSD_ENDORSE = """
3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.
"""
BSD_ADVERT = """
3. All advertising materials mentioning features or use of this software
   must display the following acknowledgement.
"""
BSD2 = BSD_HEAD.format(n=2)
BSD3 = BSD_HEAD.format(n=3) + BSD_ENDORSE
BSD4 = BSD_HEAD.format(n=4) + BSD_ADVERT + BSD_ENDORSE
GPL2 = """                    GNU GENERAL PUBLIC LICENSE
                       Version 2, June 1991

 Copyright (C) 1989, 1991 Free Software Foundation, Inc.
 ...
 you may consider it more useful to permit linking proprietary applications
 with the library.  If this is what you want to do, use the GNU Library General
 Public License instead of this License.
"""
GPL3 = """                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007
 ...
But first, please read <https://www.gnu.org/philosophy/why-not-lgpl.html>.
use the GNU Lesser General Public License instead of this License.
"""
LGPL21 = """                  GNU LESSER GENERAL PUBLIC LICENSE
                       Version 2.1, February 1999

[This is the first released version of the Lesser GPL.  It also counts
 as the successor of the GNU Library Public License, version 2, hence
 the version number 2.1.]
 ... the ordinary GNU General Public License, version 2, June 1991 ...
"""
LGPL3 = """                   GNU LESSER GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

  This version of the GNU Lesser General Public License incorporates
the terms and conditions of version 3 of the GNU General Public
License, supplemented by the additional permissions listed below.
"""
LGPL2 = """                  GNU LIBRARY GENERAL PUBLIC LICENSE
                       Version 2, June 1991
"""
AGPL3 = """                    GNU AFFERO GENERAL PUBLIC LICENSE
                       Version 3, 19 November 2007
 ... version 3 of the GNU General Public License ...
"""
GPL3_NOTICE = """Copyright (C) 2024 Example

This program is free software: you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation, either version 3 of the License, or
(at your option) any later version.
"""
GPL2_NOTICE = """This program is free software; you can redistribute it and/or
# modify it under the terms of the GNU General Public License
# as published by the Free Software Foundation; either version 2
# of the License, or (at your option) any later version.
"""
LGPL21_NOTICE = """ * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
"""
MPL2 = """Mozilla Public License Version 2.0
==================================

1. Definitions
"""
MPL2_NOTICE = """This Source Code Form is subject to the terms of the Mozilla Public
License, v. 2.0. If a copy of the MPL was not distributed with this
file, You can obtain one at http://mozilla.org/MPL/2.0/."""
MPL11 = "MOZILLA PUBLIC LICENSE\n  Version 1.1\n"
ISC = """ISC License

Copyright (c) 2024, Example

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.
"""
ZERO_BSD = ISC.replace(
    ", provided that the above\ncopyright notice and this permission notice appear in all copies",
    "",
)
UNLICENSE = """This is free and unencumbered software released into the public domain.

Anyone is free to copy, modify, publish, use, compile, sell, or
distribute this software.
"""


@pytest.fixture
def identify(run_check):
    """The SPDX id the check names for a LICENSE holding ``text``."""

    def run(text):
        r = run_check("license-present", {"LICENSE": text}, git_repo=False)
        assert r.status is Status.PASS
        return r.data["spdx"]

    return run


@pytest.mark.parametrize(
    "text,spdx",
    [
        (MIT, "MIT"),
        (MIT.upper().replace("\n", "  \r\n   "), "MIT"),  # case and wrapping do not matter
        ("# The **MIT** License\n\n> " + MIT.replace("\n", "\n> "), "MIT"),  # Markdown quoting
        (MIT_0, None),
        (APACHE, "Apache-2.0"),
        (APACHE_NOTICE, "Apache-2.0"),
        (BSD2, "BSD-2-Clause"),
        (BSD3, "BSD-3-Clause"),
        (BSD4, None),
        (GPL2, "GPL-2.0"),
        (GPL3, "GPL-3.0"),
        (LGPL21, "LGPL-2.1"),
        (LGPL3, "LGPL-3.0"),
        (LGPL2, None),
        (AGPL3, "AGPL-3.0"),
        (GPL3_NOTICE, "GPL-3.0"),
        (GPL2_NOTICE, "GPL-2.0"),
        (LGPL21_NOTICE, "LGPL-2.1"),
        (MPL2, "MPL-2.0"),
        (MPL2_NOTICE, "MPL-2.0"),
        (MPL11, None),
        (ISC, "ISC"),
        (ZERO_BSD, None),
        (UNLICENSE, "Unlicense"),
        ("All rights reserved.", None),
        ("", None),
    ],
)
def test_identify(identify, text, spdx):
    assert identify(text) == spdx


COMMON = Path("/usr/share/common-licenses")


@pytest.mark.parametrize(
    "name,spdx",
    [
        ("Apache-2.0", "Apache-2.0"),
        ("GPL-2", "GPL-2.0"),
        ("GPL-3", "GPL-3.0"),
        ("LGPL-2.1", "LGPL-2.1"),
        ("LGPL-3", "LGPL-3.0"),
        ("MPL-2.0", "MPL-2.0"),
        ("BSD", "BSD-3-Clause"),
        ("LGPL-2", None),
        ("MPL-1.1", None),
        ("GPL-1", None),
    ],
)
def test_identify_full_texts(identify, name, spdx):
    """The full texts Debian ships, where available."""
    path = COMMON / name
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    assert identify(path.read_bytes()) == spdx


@pytest.mark.parametrize(
    "name",
    [
        "LICENSE",
        "LICENCE.txt",
        "License.md",
        "copying",
        "COPYING.LESSER",
        "UNLICENSE",
        "license.rst",
    ],
)
def test_present(run_check, name):
    r = run_check("license-present", {name: MIT})
    assert r.status is Status.PASS
    assert r.message == f"{name} found: MIT"
    assert r.locations == (Location(name),)
    assert r.data["spdx"] == "MIT"


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"LICENSE-MIT": MIT, "LICENSE_APACHE": APACHE},
        {"docs/LICENSE": MIT, "LICENSES/MIT.txt": MIT},
        {"LICENSE": Symlink("../../elsewhere/LICENSE")},
    ],
)
def test_absent(run_check, files):
    r = run_check("license-present", files)
    assert r.status is Status.FAIL
    assert r.message == "no LICENSE, LICENCE, COPYING or UNLICENSE file at the root"


@pytest.mark.parametrize(
    "content",
    [
        "Proprietary. Ask legal.",
        b"\x00\x01binary\x02",
        MIT + "x" * (1 << 20),  # recognition reads at most 1 MiB
    ],
    ids=["proprietary", "binary", "large"],
)  # a 1 MiB id would overflow PYTEST_CURRENT_TEST
def test_unrecognised_still_passes(run_check, content):
    r = run_check("license-present", {"LICENSE": content})
    assert r.status is Status.PASS
    assert r.message == "LICENSE found (license text not recognised)"
    assert r.data["spdx"] is None


def test_latin1_text_is_recognised(run_check):
    r = run_check("license-present", {"LICENSE": MIT.replace("(c)", "\u00a9").encode("latin-1")})
    assert r.status is Status.PASS and r.data["spdx"] == "MIT"


def test_names_the_first_recognised(run_check):
    r = run_check(
        "license-present", {"LICENSE": "See COPYING.", "COPYING": GPL3, "COPYING.LESSER": LGPL3}
    )
    assert r.message == "COPYING found: GPL-3.0"
    assert r.locations == (Location("COPYING"),)


def test_prefers_license_over_copying(run_check):
    r = run_check("license-present", {"LICENSE.md": APACHE, "COPYING": GPL2})
    assert r.message == "LICENSE.md found: Apache-2.0"
