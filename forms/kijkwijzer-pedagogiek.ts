import type { FormDefinitionInput } from '#shared/forms/definition.ts';

/**
 * Kijkwijzer pedagogiek: every version, oldest first. Draft content in our own words on the ICALT
 * domains safe and stimulating learning climate and efficient classroom management, plus the
 * pedagogical relationship. Never edit a published version: add a new one with `version + 1`.
 */
export const versions = [
  {
    id: 'kijkwijzer-pedagogiek',
    version: 1,
    kind: 'kijkwijzer',
    kijkwijzerType: 'pedagogiek',
    title: 'Kijkwijzer pedagogiek',
    article: 'de',
    nameInSentence: 'kijkwijzer pedagogiek',
    intro:
      'Met deze kijkwijzer kijkt u naar de pedagogische kant van de les: het klimaat in de klas, de organisatie van de les en de relatie tussen de student en de leerlingen. Geef per onderdeel een score; kies "niet gezien" als iets in deze les niet aan bod kwam. Sluit af met feedback, feed-up en feedforward: daar leert de student het meest van.',
    draftContent: true,
    basis:
      'De onderdelen zijn in eigen woorden opgesteld op basis van de domeinen "veilig en stimulerend leerklimaat" en "efficiënte klassenorganisatie" van het openbare observatie-instrument ICALT (Van de Grift).',
    sections: [
      {
        code: 'KLIMAAT',
        title: 'Veilig en stimulerend leerklimaat',
        items: [
          {
            code: 'PED-1',
            label: 'Gaat respectvol met leerlingen om',
            help: 'Spreekt leerlingen rustig en bij hun naam aan, luistert naar ze en laat ze uitpraten.',
            type: 'scale',
            required: true,
          },
          {
            code: 'PED-2',
            label: 'Zorgt voor een veilige sfeer',
            help: 'Leerlingen durven vragen te stellen en fouten te maken; de student reageert niet kleinerend en grijpt in bij uitlachen of pesten.',
            type: 'scale',
            required: true,
          },
          {
            code: 'PED-3',
            label: 'Versterkt het zelfvertrouwen van leerlingen',
            help: 'Geeft gerichte complimenten over inzet en aanpak en benoemt wat leerlingen goed doen.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'KLASSENMANAGEMENT',
        title: 'Efficiënt klassenmanagement',
        items: [
          {
            code: 'PED-4',
            label: 'Zorgt voor een ordelijk verloop van de les',
            help: 'Begin en einde van de les zijn duidelijk, overgangen tussen onderdelen verlopen vlot en leerlingen weten wat er van hen verwacht wordt.',
            type: 'scale',
            required: true,
          },
          {
            code: 'PED-5',
            label: 'Hanteert duidelijke regels en afspraken',
            help: 'Maakt afspraken zichtbaar, ziet toe op naleving en reageert rustig en consequent op ongewenst gedrag.',
            type: 'scale',
            required: true,
          },
          {
            code: 'PED-6',
            label: 'Benut de lestijd goed',
            help: 'Materialen liggen klaar, de les begint op tijd, er is weinig wachttijd en leerlingen die klaar zijn weten wat ze kunnen doen.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'RELATIE',
        title: 'Pedagogische relatie',
        items: [
          {
            code: 'PED-7',
            label: 'Bouwt een positieve relatie op met de groep en met individuele leerlingen',
            help: 'Toont belangstelling voor leerlingen, maakt persoonlijk contact voor, tijdens en na de les en is zichtbaar aanwezig in het lokaal.',
            type: 'scale',
            required: true,
          },
          {
            code: 'PED-8',
            label: 'Is een herkenbaar voorbeeld voor leerlingen',
            help: 'Is goed voorbereid, komt afspraken na en laat zelf het gedrag zien dat van leerlingen gevraagd wordt.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'TERUGKOPPELING',
        title: 'Terugkoppeling aan de student',
        help: 'Schrijf concreet en in gewone taal; de student bespreekt uw terugkoppeling in het driehoeksgesprek.',
        items: [
          {
            code: 'GOED',
            label: 'Wat ging goed?',
            help: 'Noem één of twee concrete momenten uit de les.',
            type: 'text',
            required: false,
          },
          {
            code: 'FEEDBACK',
            label: 'Feedback',
            help: 'Hoe ging het? Beschrijf wat u zag en welk effect dat had op de leerlingen.',
            type: 'text',
            required: true,
          },
          {
            code: 'FEEDUP',
            label: 'Feed-up',
            help: 'Waar werkt de student naartoe? Noem het doel of de leeruitkomst waaraan deze les bijdraagt.',
            type: 'text',
            required: true,
          },
          {
            code: 'FEEDFORWARD',
            label: 'Feedforward',
            help: 'Wat is de volgende stap? Geef een concrete tip of opdracht voor een volgende les.',
            type: 'text',
            required: true,
          },
        ],
      },
    ],
  },
] satisfies FormDefinitionInput[];
