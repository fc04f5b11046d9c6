"""The demo programme "C2 Connecting Communities": Southchurch as reported to Southend's Health
and Wellbeing Board in late 2013, the established Cornish sites, and the Kent site. See
docs/demo.md for what it contains and where each fact comes from."""
