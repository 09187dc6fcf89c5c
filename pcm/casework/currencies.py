"""ISO 4217 currency codes for direct support, and the usual currency of an agency's country."""

from __future__ import annotations

# Active ISO 4217 currency codes (2025), without funds, precious metals and test codes.
_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
    FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD
    JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT
    MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG
    QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
    TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF
    XPF YER ZAR ZMW ZWG ZWL
"""
ISO_4217 = frozenset(_CODES.split())

# Countries where humanitarian protection programmes commonly run, by ISO 3166 code.
COUNTRY_CURRENCY = {
    "AF": "AFN",
    "BD": "BDT",
    "BF": "XOF",
    "CD": "CDF",
    "CF": "XAF",
    "CM": "XAF",
    "CO": "COP",
    "ET": "ETB",
    "HT": "HTG",
    "IQ": "IQD",
    "JO": "JOD",
    "KE": "KES",
    "LB": "LBP",
    "MD": "MDL",
    "ML": "XOF",
    "MM": "MMK",
    "MZ": "MZN",
    "NE": "XOF",
    "NG": "NGN",
    "PL": "PLN",
    "PS": "ILS",
    "SD": "SDG",
    "SO": "SOS",
    "SS": "SSP",
    "SY": "SYP",
    "TD": "XAF",
    "TR": "TRY",
    "UA": "UAH",
    "UG": "UGX",
    "VE": "VES",
    "YE": "YER",
}

# Cash is often given in US dollars where the local currency is unstable.
FALLBACK_CURRENCY = "USD"


def is_currency(code: str) -> bool:
    return code in ISO_4217


def currency_for_country(country_code: str) -> str:
    """The currency support is usually given in for an agency working in COUNTRY_CODE."""
    return COUNTRY_CURRENCY.get(country_code.upper(), FALLBACK_CURRENCY)
