import sys

from scorecard.launch import main

sys.exit(main())
