"""Events domain: B2B days, participants, meeting requests, schedules, site visits."""
